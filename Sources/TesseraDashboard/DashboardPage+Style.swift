extension DashboardPage {
    /// `dashboard.css`.
    static let style = #"""
    :root { --fg: #222; --muted: #777; --line: #ddd; --bg: #fafafa; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
    header { display: flex; gap: 1em; align-items: baseline; padding: 0.6em 1em; background: #fff; border-bottom: 1px solid var(--line); }
    h1 { font-size: 1.2em; margin: 0; }
    h2 { font-size: 1em; margin: 0 0 0.5em; }
    h2 small { color: var(--muted); font-weight: normal; }
    .status { padding: 0.1em 0.6em; border-radius: 1em; background: #eee; }
    body[data-status="running"] .status { background: #dbeafe; }
    body[data-status="finished"] .status { background: #dcfce7; }
    body[data-status="disconnected"] .status { background: #fee2e2; }
    #summary { color: var(--muted); }
    main { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 1em; padding: 1em; }
    section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 0.8em; min-width: 0; }
    section.wide { grid-column: 1 / -1; }
    canvas { width: 100%; display: block; }
    .legend { display: flex; flex-wrap: wrap; gap: 0.3em 1em; margin-top: 0.4em; color: var(--muted); }
    .legend i, .progress-row i { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.3em; vertical-align: -0.05em; }
    .progress-row { display: grid; grid-template-columns: minmax(6em, 12em) 1fr 9em; gap: 0.5em; align-items: center; margin: 0.25em 0; }
    .progress-row .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .bar { height: 0.9em; background: #eee; border-radius: 3px; overflow: hidden; }
    .fill { height: 100%; }
    .count { text-align: right; font-variant-numeric: tabular-nums; color: var(--muted); }
    table { width: 100%; border-collapse: collapse; }
    th, td { text-align: left; padding: 0.15em 0.4em; border-bottom: 1px solid #f0f0f0; }
    th { color: var(--muted); font-weight: normal; }
    .n { text-align: right; font-variant-numeric: tabular-nums; }
    td.failed { color: #b91c1c; }
    """#
}
