import Foundation

/// The built-in theme: the files under themes/default/, shipped inside sitegen as a resource bundle.
/// A site overrides any of them by placing a file of the same name under its own themes/<theme>/.
public enum DefaultTheme {
    public static var folder: URL? { Bundle.module.url(forResource: "default", withExtension: nil) }
}
