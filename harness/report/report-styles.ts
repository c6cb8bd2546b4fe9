/** The reports' stylesheet (run, campaign and the results browser share it). */
export const REPORT_CSS = `
:root{--ok:#2e8b3e;--fail:#e8731e;--info:#7d8590;--bad:#c62828;--muted:#666}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:1.2em 2em 4em;color:#1f2328;max-width:1500px}
h1{font-size:1.5em;margin:.2em 0} h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #e5e5e5;padding-bottom:.2em} h3{font-size:1em;margin:.6em 0 .3em}
table{border-collapse:collapse;margin:.4em 0 1em} td,th{border:1px solid #e1e4e8;padding:3px 8px;text-align:left;vertical-align:top} th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
.verdict{font-weight:700;padding:.15em .6em;border-radius:4px;display:inline-block}
.v-true{background:#dff3e0;color:#1b5e20} .v-false{background:#fde0e0;color:#b71c1c} .v-unknown{background:#fff3cd;color:#7a5b00} .v-none{background:#eee;color:#555}
.mark{border:1px solid var(--fail);color:var(--fail);border-radius:4px;padding:0 .3em;font-size:12px}
.big{font-size:1.25em}
.meta{color:var(--muted)} .meta code{color:#1f2328}
.settings{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:2px 18px;margin:.3em 0 1em}
.settings div{display:flex;justify-content:space-between;gap:.6em;border-bottom:1px dotted #ddd} .settings span{color:var(--muted);white-space:nowrap} .settings b{text-align:right;word-break:break-word}
.story{border:1px solid #f0c6c6;border-left:4px solid var(--bad);border-radius:4px;padding:.4em .9em;margin:.6em 0;background:#fffafa}
.story ul{margin:.3em 0;padding-left:1.2em} .story li{margin:.15em 0} .story .more{color:var(--muted)}
.story pre{white-space:pre-wrap;word-break:break-word;font:12px ui-monospace,monospace;background:#fff;border:1px solid #eee;padding:.5em}
.badge{font-size:11px;background:#eef;color:#334;border-radius:3px;padding:1px 5px;margin-right:.4em;font-weight:600}
button{font:inherit;font-size:12px;padding:1px 8px;border:1px solid #ccd;border-radius:3px;background:#f6f8fa;cursor:pointer}
.incomplete{border:2px solid var(--fail);border-radius:6px;padding:.4em .8em;margin:.5em 0}
.incomplete ul{margin:.2em 0}
.chart{margin:.3em 0 1em;min-height:40px} .note{color:var(--muted);font-size:13px}
#timeline{position:relative;border:1px solid #e1e4e8;overflow:hidden} .fl-timeline{display:block;cursor:grab}
.fl-tip{position:fixed;z-index:10;pointer-events:none;background:#1f2328;color:#fff;font:12px/1.4 ui-monospace,monospace;white-space:pre;padding:6px 8px;border-radius:4px;max-width:60vw;overflow:hidden}
.legend-dots span{display:inline-block;margin-right:1em} .dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:middle}
svg text{font-family:system-ui,sans-serif}
svg text.row{font-size:12px;fill:#444} svg text.in{font-size:10px;fill:#fff} svg text.tick{font-size:10px;fill:#666;text-anchor:middle}
.cycle{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
.matrix td,.heatmap td{min-width:150px} .matrix a,.heatmap a{text-decoration:none;color:inherit} .cell-metrics{font-size:12px;color:#333}
details>summary{cursor:pointer;color:#0550ae}
.fact{display:inline-block;margin:0 0 0 1.1em;font-size:1.05em} .fact b{font-size:1.15em} .fact.bad b{color:var(--bad)}
.checker-badge{white-space:nowrap;margin-right:.3em} .checker-badge .verdict{font-size:11px;padding:0 .4em}
#cluster{margin-top:.6em} #cluster .legend-dots{margin:.1em 0 .4em;font-size:12px} #cluster h3{margin-top:.4em}
table.faults{width:100%} table.faults td:first-child,table.faults td.num{white-space:nowrap} tr.not-applied td{color:var(--muted)}
`;
