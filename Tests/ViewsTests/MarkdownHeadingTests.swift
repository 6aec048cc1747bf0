import Markdown
import Testing
import TestSite

/// Prose sits under a page heading; its own headings must continue from there without skipping a
/// level, whether the editor began at `#` or at `##` (the quality gate checks every page for it).
@Suite struct MarkdownHeadingTests {
    @Test func topLevelMapsTheHighestHeadingWhateverTheEditorBeganWith() {
        #expect(Markdown.html("## 一、总体情况\n\n### （一）收入\n", topLevel: 3) == "<h3>一、总体情况</h3>\n<h4>（一）收入</h4>\n")
        #expect(Markdown.html("# 一、总体情况\n\n## （一）收入\n", topLevel: 3) == "<h3>一、总体情况</h3>\n<h4>（一）收入</h4>\n")
        #expect(Markdown.html("## 一、项目基本情况\n", topLevel: 4) == "<h4>一、项目基本情况</h4>\n")
    }

    @Test func levelsAreCappedAtSixAndTextWithoutHeadingsIsUnchanged() {
        #expect(Markdown.html("# a\n\n## b\n\n### c\n\n#### d\n", topLevel: 4) == "<h4>a</h4>\n<h5>b</h5>\n<h6>c</h6>\n<h6>d</h6>\n")
        #expect(Markdown.html("正文。\n", topLevel: 3) == "<p>正文。</p>\n")
    }

    @Test func withoutTopLevelTheFixedOffsetStillApplies() {
        #expect(Markdown.html("# a\n") == "<h3>a</h3>\n")
    }
}
