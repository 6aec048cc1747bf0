import Theme

// What each view model shows a template, by name: read without reflection (which was a large part
// of template time: bench/README.md#figures-that-were-in-code-comments). `TemplateFieldsTests`
// checks that every view model of the example site answers each of its stored properties here,
// with the same value, and nothing else.

extension PageChrome: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "siteTitle": self.siteTitle
        case "lang": self.lang
        case "root": self.root
        case "title": self.title
        case "breadcrumbs": self.breadcrumbs
        case "description": self.description
        default: nil
        }
    }
}

extension Link: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "text": self.text
        case "href": self.href
        case "current": self.current
        default: nil
        }
    }
}

extension LabelValue: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "label": self.label
        case "value": self.value
        default: nil
        }
    }
}

extension TableView: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "id": self.id
        case "partial": self.partial
        case "number": self.number
        case "title": self.title
        case "department": self.department
        case "year": self.year
        case "unit": self.unit
        case "isEmpty": self.isEmpty
        case "grid": self.grid
        case "notes": self.notes
        case "wide": self.wide
        case "csv": self.csv
        case "json": self.json
        case "charts": self.charts
        case "halves": self.halves
        case "zeroRows": self.zeroRows
        default: nil
        }
    }
}

extension TableHalf: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "side": self.side
        case "grid": self.grid
        default: nil
        }
    }
}

extension TextTableView: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "caption": self.caption
        case "head": self.head
        case "rows": self.rows
        case "headHTML": self.headHTML
        case "bodyHTML": self.bodyHTML
        default: nil
        }
    }
}

extension PerformanceView: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "id": self.id
        case "heading": self.heading
        case "title": self.title
        case "fields": self.fields
        case "funds": self.funds
        case "fundsTitle": self.fundsTitle
        case "goalsTitle": self.goalsTitle
        case "indicatorsTitle": self.indicatorsTitle
        case "sections": self.sections
        case "deviation": self.deviation
        case "goalExpected": self.goalExpected
        case "goalActual": self.goalActual
        case "indicators": self.indicators
        case "totalWeight": self.totalWeight
        case "totalScore": self.totalScore
        case "grade": self.grade
        default: nil
        }
    }
}

extension ReportView: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "id": self.id
        case "title": self.title
        case "html": self.html
        case "table": self.table
        default: nil
        }
    }
}

extension PartView: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "id": self.id
        case "title": self.title
        case "partial": self.partial
        case "headings": self.headings
        case "dutiesHeading": self.dutiesHeading
        case "staffHeading": self.staffHeading
        case "moreHeadings": self.moreHeadings
        case "html": self.html
        default: nil
        }
    }
}

extension TocEntry: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "id": self.id
        case "title": self.title
        case "children": self.children
        default: nil
        }
    }
}

extension ChartView: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "id": self.id
        case "table": self.table
        case "caption": self.caption
        case "svg": self.svg
        case "narrowSVG": self.narrowSVG
        case "figures": self.figures
        default: nil
        }
    }
}

extension FindingView: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "severity": self.severity
        case "text": self.text
        default: nil
        }
    }
}

extension DisclosurePage: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        case "department": self.department
        case "departmentKind": self.departmentKind
        case "region": self.region
        case "year": self.year
        case "formNote": self.formNote
        case "summary": self.summary
        case "toc": self.toc
        case "parts": self.parts
        case "years": self.years
        case "previousYear": self.previousYear
        case "nextYear": self.nextYear
        case "dutiesIntro": self.dutiesIntro
        case "duties": self.duties
        case "institutions": self.institutions
        case "staff": self.staff
        case "overviewNoteHTML": self.overviewNoteHTML
        case "tables": self.tables
        case "charts": self.charts
        case "explanationHTML": self.explanationHTML
        case "glossaryHTML": self.glossaryHTML
        case "performance": self.performance
        case "reports": self.reports
        case "hasAttachments": self.hasAttachments
        case "findings": self.findings
        case "draft": self.draft
        case "published": self.published
        case "dataPackage": self.dataPackage
        case "elsewhere": self.elsewhere
        case "place": self.place
        default: nil
        }
    }
}

extension ElsewhereView: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "text": self.text
        case "href": self.href
        case "tables": self.tables
        default: nil
        }
    }
}

extension PlaceView: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "title": self.title
        case "statements": self.statements
        case "chart": self.chart
        default: nil
        }
    }
}

extension DisclosureSummary: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "year": self.year
        case "href": self.href
        case "figures": self.figures
        default: nil
        }
    }
}

extension DepartmentPage: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        case "name": self.name
        case "kind": self.kind
        case "region": self.region
        case "parent": self.parent
        case "disclosures": self.disclosures
        case "trend": self.trend
        case "charts": self.charts
        default: nil
        }
    }
}

extension HomeDepartment: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "name": self.name
        case "href": self.href
        case "kind": self.kind
        case "years": self.years
        default: nil
        }
    }
}

extension HomeRegion: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "name": self.name
        case "href": self.href
        case "depth": self.depth
        case "count": self.count
        case "comparisons": self.comparisons
        case "departments": self.departments
        default: nil
        }
    }
}

extension HomePage: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        case "regions": self.regions
        case "disclosureCount": self.disclosureCount
        case "departmentCount": self.departmentCount
        case "isHome": self.isHome
        default: nil
        }
    }
}

extension NotFoundPage: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        default: nil
        }
    }
}

extension SearchEntry: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "name": self.name
        case "href": self.href
        case "code": self.code
        case "region": self.region
        case "kind": self.kind
        case "terms": self.terms
        case "years": self.years
        default: nil
        }
    }
}

extension SearchPage: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        case "entries": self.entries
        case "count": self.count
        default: nil
        }
    }
}

extension CompareColumn: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "key": self.key
        case "label": self.label
        case "href": self.href
        case "sort": self.sort
        case "arrow": self.arrow
        default: nil
        }
    }
}

extension CompareCell: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "text": self.text
        case "value": self.value
        default: nil
        }
    }
}

extension CompareRow: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "name": self.name
        case "href": self.href
        case "code": self.code
        case "isChild": self.isChild
        case "cells": self.cells
        case "published": self.published
        default: nil
        }
    }
}

extension ComparisonPage: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        case "region": self.region
        case "year": self.year
        case "sortedBy": self.sortedBy
        case "columns": self.columns
        case "rows": self.rows
        case "rowsHTML": self.rowsHTML
        case "total": self.total
        case "years": self.years
        case "acrossYears": self.acrossYears
        case "charts": self.charts
        case "count": self.count
        case "unpublished": self.unpublished
        case "downloads": self.downloads
        case "filters": self.filters
        case "filtered": self.filtered
        default: nil
        }
    }
}

extension CompareFilterGroup: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "label": self.label
        case "links": self.links
        default: nil
        }
    }
}

extension AcrossYearsPage: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        case "region": self.region
        case "tables": self.tables
        case "years": self.years
        default: nil
        }
    }
}

extension RegionPage: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "chrome": self.chrome
        case "name": self.name
        case "children": self.children
        case "departments": self.departments
        case "comparisons": self.comparisons
        default: nil
        }
    }
}

extension Grid: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "head": self.head
        case "body": self.body
        case "width": self.width
        case "headHTML": self.headHTML
        case "bodyHTML": self.bodyHTML
        default: nil
        }
    }
}

extension GridRow: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "cells": self.cells
        case "rowClass": self.rowClass
        default: nil
        }
    }
}

extension GridCell: TemplateFields {
    public func field(_ name: String) -> Any? {
        switch name {
        case "text": self.text
        case "tag": self.tag
        case "scope": self.scope
        case "colspan": self.colspan
        case "rowspan": self.rowspan
        case "cellClass": self.cellClass
        case "anchor": self.anchor
        default: nil
        }
    }
}
