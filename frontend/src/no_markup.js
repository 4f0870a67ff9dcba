// Stands in for the sanitize-html package, which the widget manager uses for one thing only: a widget
// description written as HTML (`description_allow_html`), which no workbook widget sets. Rather than
// ship a whole HTML parser (a quarter of the page's code) to clean markup that never comes, any such
// description is shown as plain text: every character of markup escaped, none of it run.
const ESCAPED = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export default function shownAsText(html) {
  return String(html).replace(/[&<>"']/g, (character) => ESCAPED[character]);
}
