// The console's tabs: a tab list whose panels are the page's own boxes (the kernel shows the chosen
// one). Arrow keys, Home and End move between tabs, as a tab list's keys do; the chosen tab alone is
// in the page's tab order.
function render({ model, el }) {
  const list = document.createElement("div");
  list.setAttribute("role", "tablist");
  list.className = "rw-tab-list";
  let tabs = [];

  const choose = (index, focus) => {
    model.set("selected", index);
    model.save_changes();
    if (focus) tabs[index].focus();
  };
  const draw = () => {
    list.setAttribute("aria-label", model.get("label"));
    tabs = model.get("titles").map((title, index) => {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.className = "rw-tab";
      tab.textContent = title;
      tab.addEventListener("click", () => choose(index, false));
      return tab;
    });
    list.replaceChildren(...tabs);
    mark();
  };
  const mark = () => {
    const selected = model.get("selected");
    tabs.forEach((tab, index) => {
      tab.setAttribute("aria-selected", String(index === selected));
      tab.tabIndex = index === selected ? 0 : -1;
    });
  };
  list.addEventListener("keydown", (event) => {
    const last = tabs.length - 1;
    const now = model.get("selected");
    const moves = { ArrowRight: now + 1, ArrowLeft: now - 1, Home: 0, End: last };
    if (!(event.key in moves)) return;
    event.preventDefault();
    choose((moves[event.key] + tabs.length) % tabs.length, true);
  });
  draw();
  model.on("change:titles change:label", draw);
  model.on("change:selected", mark);
  el.append(list);
}

export default { render };
