// The participant's code and the "saved" status. Keeps the browser's link to the participant (an
// HttpOnly cookie the server sets) in step with the page, so no address needs to hold the code.

const WORKBOOK_ROOT = (document.body.dataset.baseUrl || "/voila/").replace(/voila\/$/, "");
const LINK_ADDRESS = WORKBOOK_ROOT + "workbook/participant";
let linkReady = Promise.resolve();
let linkSettled = true;

// A click on a link to another workbook page waits for the cookie to be set, so the next page
// opens the same workbook even when the click comes before the server has answered.
function holdLinksUntilLinked() {
  if (window.rwHoldsLinks) return;
  window.rwHoldsLinks = true;
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target.closest && event.target.closest("a[href]");
      if (!link || linkSettled || event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      if (new URL(link.href, window.location.href).origin !== window.location.origin) return;
      event.preventDefault();
      linkReady.finally(() => window.location.assign(link.href));
    },
    true,
  );
}

let bars = 0;

function render({ model, el }) {
  bars += 1;
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
  // A workbook opened from a link's code: whose it is, and the way back to the browser's own. The
  // server checks the request is this page's (its header), and goes back only while the link's
  // workbook is the one open; then the page opens again with the browser's own.
  const linkLine = document.createElement("p");
  linkLine.className = "rw-link-line";
  const linkText = document.createElement("span");
  const back = document.createElement("button");
  back.type = "button";
  back.className = "rw-back";
  back.addEventListener("click", () => {
    back.disabled = true;
    fetch(WORKBOOK_ROOT + "workbook/back", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-Workbook-Page": "1" },
    })
      .then((response) => {
        if (response.ok) window.location.reload();
        else back.disabled = false;
      })
      .catch(() => {
        back.disabled = false;
      });
  });
  const room = document.createElement("p");
  room.className = "rw-room-line";
  // Pacing: a calm banner, announced politely, with a link to the group's section.
  const pace = document.createElement("p");
  pace.className = "rw-pace";
  pace.setAttribute("role", "status");
  const paceText = document.createElement("span");
  const paceLink = document.createElement("a");
  paceLink.target = "_self";
  bar.append(line, hint, linkLine, room, pace);

  // "Remember me on this device" (welcome page only) and "Forget this device" (wherever it is remembered).
  const remember = document.createElement("p");
  remember.className = "rw-remember";
  const rememberBox = document.createElement("input");
  rememberBox.type = "checkbox";
  rememberBox.id = `rw-remember-${bars}`;
  // The box sits inside its label, so the whole line (44 px high) is the target a finger taps.
  const rememberChoice = document.createElement("label");
  rememberChoice.className = "rw-remember-choice";
  const rememberLabel = document.createElement("span");
  rememberChoice.append(rememberBox, rememberLabel);
  const rememberNote = document.createElement("span");
  rememberNote.className = "rw-remember-note";
  rememberNote.id = `rw-remember-note-${bars}`;
  rememberBox.setAttribute("aria-describedby", rememberNote.id);
  const rememberParts = [rememberChoice, rememberNote];
  const forget = document.createElement("button");
  forget.type = "button";
  forget.className = "rw-forget";
  const forgotten = document.createElement("p");
  forgotten.className = "rw-message";
  forgotten.setAttribute("role", "status");
  bar.append(remember, forget, forgotten);
  rememberBox.addEventListener("change", () => {
    model.set("remember", rememberBox.checked);
    model.save_changes();
  });
  forget.addEventListener("click", () => {
    model.set("remember", false);
    model.save_changes();
    forgotten.textContent = model.get("forgotten");
  });

  let linked = "";
  function keepLink() {
    const code = model.get("session_code");
    const wanted = `${code}.${model.get("remember")}`;
    if (!code || wanted === linked) return;
    // "fresh" only for the page's first word to the server: a page that made a new workbook.
    const fresh = linked === "" && model.get("fresh");
    linked = wanted;
    linkSettled = false;
    linkReady = fetch(LINK_ADDRESS, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Workbook-Page": "1" },
      body: JSON.stringify({ code, remember: model.get("remember"), fresh }),
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((answer) => {
        if (answer.reload) {
          // This browser has a workbook already; the page came by a link from another site,
          // which a SameSite=Strict cookie does not follow. Open it again from here, once.
          if (!window.sessionStorage.getItem("rw-relinked")) {
            window.sessionStorage.setItem("rw-relinked", "1");
            window.location.replace(window.location.href);
          }
          return;
        }
        window.sessionStorage.removeItem("rw-relinked");
      })
      .catch(() => {
        linked = ""; // the next change tries again
      })
      .finally(() => {
        linkSettled = true;
      });
  }
  holdLinksUntilLinked();

  function sync() {
    const elsewhere = model.get("language_href");
    // The workbook is kept in another language: the same page in it (the kernel checks the address too).
    if (elsewhere && /^(\.\.\/)?([a-z]{2,3}\/)?[0-9]{2}-[a-z0-9-]+\.ipynb\?lang=[a-z]{2,3}$/.test(elsewhere)) {
      // Once the browser's link names the workbook just opened, so the new page opens it too.
      keepLink();
      linkReady.finally(() => window.location.replace(elsewhere));
      return;
    }
    const demo = model.get("demo");
    label.textContent = demo ? model.get("demo_label") : model.get("code_label");
    code.textContent = demo ? "" : model.get("code");
    code.hidden = demo;
    hint.textContent = demo ? "" : model.get("hint");
    hint.hidden = demo;
    status.textContent = model.get("status");
    status.classList.toggle("rw-problem", model.get("problem"));
    linkText.textContent = model.get("link_line");
    back.textContent = model.get("back_label");
    if (!model.get("link_line")) linkLine.replaceChildren();
    else if (model.get("back_label")) linkLine.replaceChildren(linkText, " ", back);
    else linkLine.replaceChildren(linkText);
    linkLine.hidden = !linkLine.firstChild;
    bar.dataset.saves = String(model.get("saves"));
    room.textContent = model.get("room_line");
    paceText.textContent = model.get("pace_text");
    const href = model.get("pace_href");
    // Only a relative link to another notebook of the workbook is followed.
    if (href && /^[0-9]{2}-[a-z0-9-]+\.ipynb$/.test(href)) {
      paceLink.href = href;
      paceLink.textContent = model.get("pace_link");
      pace.replaceChildren(paceText, " ", paceLink);
    } else {
      pace.replaceChildren(paceText);
    }
    if (!model.get("pace_text")) pace.replaceChildren();
    const real = !demo && Boolean(model.get("session_code"));
    // Not offered: not in the page at all (only the welcome page offers it).
    if (real && model.get("offer_remember")) {
      if (!remember.firstChild) remember.append(...rememberParts);
    } else {
      remember.replaceChildren();
    }
    remember.hidden = !remember.firstChild;
    rememberBox.checked = model.get("remember");
    rememberLabel.textContent = model.get("remember_label");
    rememberNote.textContent = ` ${model.get("remember_note")}`;
    forget.textContent = model.get("forget_label");
    forget.hidden = !(real && model.get("remember"));
    if (model.get("remember")) forgotten.textContent = "";
    keepLink();
  }
  sync();
  model.on("change", sync);
  el.append(bar);
  return () => model.off(null, null, null);
}

export default { render };
