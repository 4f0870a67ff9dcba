// The console's keys for the live moments: N and P pace the group, S shows the first waiting line and
// D deletes it. A key typed into a field (a number, a search, a choice) or held with a modifier is the
// page's own, never the console's.
const ACTIONS = { n: "next", p: "previous", s: "show", d: "delete" };

function typing(target) {
  if (!target || !target.tagName) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

function render({ model, el }) {
  const onKey = (event) => {
    if (!model.get("active") || event.repeat) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || typing(event.target)) return;
    const action = ACTIONS[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    model.send({ key: action });
  };
  document.addEventListener("keydown", onKey);
  el.hidden = true;
  return () => document.removeEventListener("keydown", onKey);
}

export default { render };
