/** The page's stylesheet: light, printable, two charts a row on a wide screen, one on a narrow one. */
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #212529; --muted: #6c757d; --line: #dee2e6; --soft: #f8f9fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1400px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 8px; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft); padding: 1px 4px; border-radius: 3px; }
.context, .muted { color: var(--muted); }
.verdict { margin: 16px 0 8px; padding: 12px 16px; border-radius: 6px; border-left: 6px solid var(--muted); background: var(--soft); font-size: 15px; }
.verdict p { margin: 4px 0; }
.verdict .word { font-weight: 700; text-transform: uppercase; letter-spacing: 0.03em; }
.verdict-regression { border-color: #e03131; background: #fff5f5; }
.verdict-pass { border-color: #2f9e44; background: #ebfbee; }
.verdict-improvement { border-color: #1971c2; background: #e7f5ff; }
.verdict-inconclusive { border-color: #f08c00; background: #fff9db; }
.verdict-no-baseline, .verdict-run { border-color: #868e96; }
table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
td.text { white-space: normal; }
thead th { background: var(--soft); font-weight: 600; }
tr.gated td:first-child, tr.gated td.change { font-weight: 700; }
.tables { display: flex; flex-wrap: wrap; gap: 8px 32px; align-items: flex-start; }
.mark { font-weight: 700; display: inline-block; min-width: 1.1em; text-align: center; }
.mark-regression { color: #e03131; } .mark-pass { color: #2f9e44; } .mark-improvement { color: #1971c2; }
.mark-inconclusive { color: #f08c00; } .mark-no-baseline { color: #868e96; }
.reasons { margin: 2px 0 8px; color: var(--ink); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 18px 24px; }
figure { margin: 0; min-width: 0; }
figcaption { font-weight: 600; margin: 0 0 4px; }
figcaption .muted { font-weight: 400; }
.plot { width: 100%; min-width: 0; overflow: hidden; }
.uplot .u-legend { font-size: 12px; }
tr.error-row td { color: #c92a2a; }
table.outcomes td[rowspan] { vertical-align: top; }
.overview { display: grid; grid-template-columns: minmax(190px, 1.5fr) repeat(7, minmax(0, 1fr)); gap: 10px; margin: 16px 0 8px; }
@media (max-width: 1100px) { .overview { grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); } }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; background: #fff; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.card .value { font-size: 20px; font-weight: 650; white-space: nowrap; }
.card .base { color: var(--muted); font-size: 12px; }
.card-verdict { border-left-width: 6px; }
.card-verdict .value { text-transform: capitalize; }
.card-bad .value { color: #c92a2a; }
.stack { display: grid; grid-template-columns: 1fr; gap: 6px; }
.stack figcaption { font-weight: 600; font-size: 13px; }
.answers { margin: 6px 0 10px; padding-left: 20px; font-size: 15px; }
.answers li { margin: 3px 0; }
.legend { margin: 4px 0 0; color: var(--muted); font-size: 12px; }
.legend .key { display: inline-block; margin-right: 14px; white-space: nowrap; }
.swatch { display: inline-block; width: 14px; height: 12px; margin-right: 5px; vertical-align: -1px; border: 1px solid rgba(0, 0, 0, 0.12); }
.swatch-strip { height: 5px; vertical-align: 2px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { main { max-width: none; } .grid { grid-template-columns: 1fr 1fr; } }
`;
