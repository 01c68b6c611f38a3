/** Inline CSS of the run-history page (no external assets: the page must work offline). */
export const RUN_HISTORY_CSS = `
:root { --bg:#f5f6f8; --card:#fff; --ink:#1d2330; --muted:#5f6b7a; --line:#dde1e7; --accent:#0f62c9;
  --ok:#107c41; --ok-bg:#e3f4ea; --bad:#c4262e; --bad-bg:#fde7e8; --run:#0f62c9; --run-bg:#e3eefc;
  --wait:#8a5a00; --wait-bg:#fff3d6; --off:#5f6b7a; --off-bg:#eceff3; --late:#b34700; --late-bg:#ffeadb; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; background:var(--bg); color:var(--ink); }
header { background:#1b2a41; color:#fff; padding:12px 24px; display:flex; align-items:baseline; gap:16px; }
header h1 { font-size:18px; margin:0; font-weight:600; }
header a { color:#cfe0ff; text-decoration:none; }
header .sub { color:#aab6c8; font-size:13px; }
main { padding:20px 24px; max-width:1280px; margin:0 auto; }
a { color:var(--accent); }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:14px 16px; margin-bottom:14px; }
form.filters { display:flex; flex-wrap:wrap; gap:10px 14px; align-items:flex-end; }
form.filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); gap:3px; }
form.filters input, form.filters select { font:inherit; padding:6px 8px; border:1px solid #c5ccd6; border-radius:6px; background:#fff; min-width:150px; }
form.filters input[type=search] { min-width:260px; }
button { font:inherit; padding:6px 14px; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); }
table { width:100%; border-collapse:collapse; }
th { text-align:left; font-size:12px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); padding:8px 10px; border-bottom:2px solid var(--line); }
td { padding:8px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
tr.run-row { cursor:pointer; }
tr.run-row:hover td { background:#f0f5ff; }
.mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; }
.muted { color:var(--muted); }
.badge { display:inline-flex; align-items:center; gap:6px; font-weight:600; font-size:12.5px; padding:2px 9px; border-radius:999px; white-space:nowrap; }
.badge::before { content:""; width:8px; height:8px; border-radius:50%; background:currentColor; }
.s-Succeeded { color:var(--ok); background:var(--ok-bg); }
.s-Failed, .s-Aborted { color:var(--bad); background:var(--bad-bg); }
.s-Running { color:var(--run); background:var(--run-bg); }
.s-Waiting { color:var(--wait); background:var(--wait-bg); }
.s-Cancelled, .s-Skipped { color:var(--off); background:var(--off-bg); }
.s-TimedOut { color:var(--late); background:var(--late-bg); }
.summary { display:grid; grid-template-columns:repeat(auto-fill,minmax(250px,1fr)); gap:10px 18px; }
.summary .mono { word-break:break-all; }
.summary div b { display:block; font-size:11.5px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); font-weight:600; }
.step { border:1px solid var(--line); border-left:4px solid var(--off); border-radius:6px; background:#fff; margin:8px 0; padding:10px 12px; }
.step.b-Succeeded { border-left-color:var(--ok); } .step.b-Failed, .step.b-Aborted { border-left-color:var(--bad); }
.step.b-Running { border-left-color:var(--run); } .step.b-Waiting { border-left-color:var(--wait); } .step.b-TimedOut { border-left-color:var(--late); }
.step-head { display:flex; flex-wrap:wrap; align-items:center; gap:8px 14px; }
.step-head .name { font-weight:600; font-size:14.5px; }
.step-head .type { color:var(--muted); font-size:12px; border:1px solid var(--line); border-radius:4px; padding:0 6px; }
.step-head .meta { color:var(--muted); font-size:12.5px; }
.children { margin-left:22px; padding-left:10px; border-left:2px dashed var(--line); }
.error { margin-top:8px; background:var(--bad-bg); color:#7d1016; border-radius:6px; padding:8px 10px; }
.error b { margin-right:6px; }
details { margin-top:8px; }
details summary { cursor:pointer; color:var(--accent); font-size:13px; }
pre { margin:6px 0 0; background:#f7f8fa; border:1px solid var(--line); border-radius:6px; padding:8px 10px; overflow:auto; max-height:360px; white-space:pre-wrap; word-break:break-word; }
.secure { margin-top:6px; font-style:italic; color:var(--muted); background:#f7f8fa; border:1px dashed #c5ccd6; border-radius:6px; padding:6px 10px; }
.kv { display:grid; grid-template-columns:max-content 1fr; gap:2px 12px; margin-top:6px; font-size:13px; }
.kv dt { color:var(--muted); } .kv dd { margin:0; }
.sub-table { margin-top:8px; font-size:13px; }
.sub-table td, .sub-table th { padding:4px 8px; }
.section-title { font-size:13px; font-weight:600; margin:8px 0 0; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
.empty { color:var(--muted); padding:18px 10px; text-align:center; }
.count { color:var(--muted); font-size:13px; margin:6px 0 10px; }
`;
