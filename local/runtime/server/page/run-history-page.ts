import { RUN_HISTORY_SCRIPT } from './script.js';
import { RUN_HISTORY_CSS } from './styles.js';

/** The self-contained run-history page: list and run views are drawn by the inline script from the management API. */
export function runHistoryPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Run history</title>
<style>${RUN_HISTORY_CSS}</style>
</head>
<body>
<header><h1><a href="/runs">Logic Apps run history</a></h1><span class="sub">local Logic Apps Standard runtime</span></header>
<main id="app"></main>
<script>${RUN_HISTORY_SCRIPT}</script>
</body>
</html>`;
}
