import Model

/// Chooses and fills the charts of each page (SVG from the Charts module).
public enum ChartBuilder {
    public static func disclosureCharts(_ d: Disclosure) -> [ChartView] { [] }
    public static func departmentCharts(_ dept: Department, _ list: [Disclosure]) -> [ChartView] { [] }
}
