extension Charts {
    /// Styles for the classes the SVGs use. Every colour and the font are custom properties with
    /// fallbacks, so a theme only sets `--sg-chart-*`. Without this CSS the charts still read in
    /// black and white: bars are outlined, series 2 and 4 are hatched/dotted patterns.
    /// Series 2 and 4 keep their pattern fill: colour them through `.sg-pattern-2/4`, never `fill` on the bar.
    public static let defaultCSS = """
    .sg-chart { display: block; max-width: 100%; height: auto; color: var(--sg-chart-ink, inherit); font-family: var(--sg-chart-font, inherit); }
    .sg-chart .sg-label { fill: var(--sg-chart-text, currentColor); }
    .sg-chart .sg-tick, .sg-chart .sg-unit { fill: var(--sg-chart-muted, currentColor); }
    .sg-chart .sg-empty { font-size: 14px; }
    .sg-chart .sg-bar { stroke: var(--sg-chart-outline, currentColor); stroke-width: 1px; }
    .sg-chart .sg-series-1 { fill: var(--sg-chart-1, #1f5fa8); }
    .sg-chart .sg-series-3 { fill: var(--sg-chart-3, #dbe6f3); }
    .sg-chart .sg-pattern-bg { fill: var(--sg-chart-bg, #fff); }
    .sg-chart .sg-pattern-2 { fill: var(--sg-chart-2, #c25b00); }
    .sg-chart .sg-pattern-4 { fill: var(--sg-chart-4, #2e7d32); }
    .sg-chart .sg-line-1 { stroke: var(--sg-chart-1, #1f5fa8); }
    .sg-chart .sg-line-2 { stroke: var(--sg-chart-2, #c25b00); }
    .sg-chart .sg-line-3 { stroke: var(--sg-chart-3-line, #5a6b7d); }
    .sg-chart .sg-line-4 { stroke: var(--sg-chart-4, #2e7d32); }
    .sg-chart .sg-axis { stroke: var(--sg-chart-axis, currentColor); stroke-width: 1px; }
    .sg-chart .sg-grid { stroke: var(--sg-chart-grid, #c8c8c8); stroke-opacity: 1; stroke-dasharray: 2 3; }
    .sg-chart .sg-leader { stroke: var(--sg-chart-leader, currentColor); stroke-opacity: 0.6; fill: none; }
    @media print { .sg-chart { break-inside: avoid; print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
    """
}
