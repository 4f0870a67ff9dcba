// The participant's code and the "saved" status; keeps the code in the page's address.
function render({ model, el }) {
  const bar = document.createElement("section");
  bar.className = "rw-participant";
  bar.setAttribute("aria-label", "Your workbook code");
  const line = document.createElement("p");
  line.className = "rw-participant-line";
  const label = document.createElement("span");
  const code = document.createElement("strong");
  code.className = "rw-code";
  const status = document.createElement("span");
  status.className = "rw-saved";
  status.setAttribute("role", "status");
  line.append(label, " ", code, " ", status);
  const hint = document.createElement("p");
  hint.className = "rw-participant-hint";
  const notice = document.createElement("p");
  notice.className = "rw-message";
  notice.setAttribute("role", "status");
  const room = document.createElement("p");
  room.className = "rw-room-line";
  // Pacing: a calm banner, announced politely, with a link to the group's section.
  const pace = document.createElement("p");
  pace.className = "rw-pace";
  pace.setAttribute("role", "status");
  const paceText = document.createElement("span");
  const paceLink = document.createElement("a");
  paceLink.target = "_self";
  bar.append(line, hint, notice, room, pace);

  function keepCodeInAddress() {
    const wanted = model.get("address_code");
    const url = new URL(window.location.href);
    if (wanted && url.searchParams.get("code") !== wanted) {
      url.searchParams.set("code", wanted);
      window.history.replaceState(window.history.state, "", url);
    }
  }

  function sync() {
    const demo = model.get("demo");
    label.textContent = demo ? model.get("demo_label") : model.get("code_label");
    code.textContent = demo ? "" : model.get("code");
    code.hidden = demo;
    hint.textContent = demo ? "" : model.get("hint");
    hint.hidden = demo;
    status.textContent = model.get("status");
    status.classList.toggle("rw-problem", model.get("problem"));
    notice.textContent = model.get("notice");
    bar.dataset.saves = String(model.get("saves"));
    room.textContent = model.get("room_line");
    paceText.textContent = model.get("pace_text");
    const href = model.get("pace_href");
    // Only a relative link to another notebook of the workbook is followed.
    if (href && /^[0-9]{2}-[a-z0-9-]+\.ipynb(\?code=[0-9A-Z]+)?$/.test(href)) {
      paceLink.href = href;
      paceLink.textContent = model.get("pace_link");
      pace.replaceChildren(paceText, " ", paceLink);
    } else {
      pace.replaceChildren(paceText);
    }
    if (!model.get("pace_text")) pace.replaceChildren();
    keepCodeInAddress();
  }
  sync();
  model.on("change", sync);
  el.append(bar);
  return () => model.off(null, null, null);
}

export default { render };
