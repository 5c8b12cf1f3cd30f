// The page the dashboard serves: one HTML file, one script, one style sheet, all in this module
// as text (no resource bundle to lose when a program is copied; nothing fetched from elsewhere).

/// The dashboard page's files.
enum DashboardPage {
    /// `index.html`: the layout; the script fills it.
    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Tessera dashboard</title>
    <link rel="stylesheet" href="dashboard.css">
    </head>
    <body data-status="connecting">
    <header>
      <h1>Tessera</h1>
      <span id="status" class="status">connecting…</span>
      <span id="summary"></span>
    </header>
    <main>
      <section class="wide">
        <h2>Task stream <small>one lane per worker (rank/worker)</small></h2>
        <canvas id="task-stream" height="160"></canvas>
        <div id="legend" class="legend"></div>
      </section>
      <section>
        <h2>Progress <small>per kind of task, current computes</small></h2>
        <div id="progress"></div>
      </section>
      <section>
        <h2>Memory and CPU <small>per process</small></h2>
        <canvas id="resources" height="180"></canvas>
      </section>
      <section>
        <h2>Layers <small>of the latest compute's plan, per kind</small></h2>
        <table id="layers"><thead><tr><th>kind</th><th>layer</th><th class="n">tasks</th></tr></thead><tbody></tbody></table>
      </section>
      <section>
        <h2>Recent computes</h2>
        <table id="computes"><thead><tr><th>rank</th><th>#</th><th class="n">tasks</th><th class="n">done</th><th class="n">duration</th><th>state</th></tr></thead><tbody></tbody></table>
      </section>
    </main>
    <script src="dashboard.js"></script>
    </body>
    </html>
    """#
}
