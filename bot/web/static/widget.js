/* Safeguarding guide: the embeddable chat widget.
 *
 *   <script src="https://guide.example.org/widget.js" data-org="grange-primary"
 *           data-server="https://guide.example.org:5005" defer></script>
 *
 * data-org     the organisation id (data/orgs/<id>.yml); sent with every message
 * data-server  where Rasa is (default: where this script came from); the page's origin
 *              must be in SAFEGUARD_CORS
 *
 * Design notes
 * - Everything lives in one open shadow root and one closure: no clash with the host
 *   page's styles, ids or scripts. The only global is window.SafeguardWidget.
 * - Bot and worker text is only ever set with textContent, never parsed as HTML.
 * - The conversation (sender id, transcript, the message waiting for an answer) is kept
 *   in sessionStorage, so it survives a reload and is gone when the tab closes. Never
 *   localStorage: staff use shared computers.
 * - Each message has a random message_id. Until it is answered it stays in
 *   sessionStorage and is resent, with back-off, under the same id; the channel answers a
 *   resend from the conversation instead of handling it twice. Nothing lost, nothing doubled.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script || window.SafeguardWidget) return;          // one widget per page

  const ORG = script.getAttribute("data-org") || "";
  const BASE = new URL(script.src, location.href).origin;  // the web app: styles, contacts, forget
  const SERVER = (script.getAttribute("data-server") || BASE).replace(/\/+$/, "");
  const KEY = "safeguard-widget:" + ORG;
  const REQUEST_TIMEOUT_MS = 30000;
  const RETRY_MAX_MS = 15000;

  // ---- state, kept in sessionStorage ------------------------------------------------

  function randomId() {                    // 128 random bits, hex (works on plain http too)
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function fresh() {
    // log: [{from: "user"|"bot"|"note", text, buttons?: [{title, payload}], answered?}]
    // pending: {id, message} sent but not yet answered
    return { sender: randomId(), log: [], pending: null, open: false, area: "" };
  }

  function load() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(KEY));
      if (saved && typeof saved.sender === "string" && Array.isArray(saved.log)) return saved;
    } catch (e) { /* storage blocked or corrupt: start afresh */ }
    return fresh();
  }

  function save() {
    try { sessionStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* works, just not across reloads */ }
  }

  let state = load();

  // ---- DOM helpers: text only, never innerHTML ---------------------------------------

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text != null) node.textContent = text;
    return node;
  }

  function telLink(phone) {
    return el("a", { href: "tel:" + phone.replace(/[^\d+]/g, "") }, phone);
  }

  // ---- the widget's DOM --------------------------------------------------------------

  const host = el("div", { "data-safeguard-widget": "" });
  const root = host.attachShadow({ mode: "open" });
  root.append(el("link", { rel: "stylesheet", href: BASE + "/widget.css" }));

  const launcher = el("button", { type: "button", class: "launcher", "aria-controls": "sg-panel",
                                  "aria-expanded": "false" }, "Worried about a child?");
  const panel = el("section", { id: "sg-panel", class: "panel", role: "dialog", "aria-labelledby": "sg-title" });
  panel.hidden = true;

  const header = el("div", { class: "head" });   // not <header>: a second banner landmark on the host page
  const closeButton = el("button", { type: "button", class: "close" }, "Close");
  closeButton.setAttribute("aria-label", "Close the safeguarding guide");
  header.append(el("h2", { id: "sg-title" }, "Safeguarding guide"), closeButton,
                el("p", { class: "sub" }, "An automated guide, not a person."));

  const danger = el("p", { class: "danger" });
  danger.append(el("a", { href: "tel:999" }, "In danger now? Call 999"));

  const contactsToggle = el("button", { type: "button", "aria-expanded": "false", "aria-controls": "sg-contacts" },
                            "Who do I call?");
  const clearButton = el("button", { type: "button", class: "quiet" }, "Clear this conversation");
  const tools = el("div", { class: "tools" });
  tools.append(contactsToggle, clearButton);

  const contacts = el("section", { id: "sg-contacts", class: "contacts", "aria-labelledby": "sg-contacts-title",
                                   tabindex: "-1" });
  contacts.hidden = true;
  const contactsBody = el("div");
  contacts.append(el("h3", { id: "sg-contacts-title" }, "Who do I call?"), contactsBody);

  const scroller = el("div", { class: "scroller" });
  const intro = el("p", { class: "intro" },
                   "Tell me what is worrying you, in your own words. I will help you respond, write it down " +
                   "and find the right person to ring.");
  const log = el("ol", { class: "log", "aria-label": "Conversation" });
  scroller.append(contacts, intro, log);

  const status = el("p", { class: "status", role: "status" });
  const announcer = el("div", { class: "sr-only", "aria-live": "polite" });  // new bot messages, read out

  const form = el("form", { class: "compose" });
  const input = el("textarea", { id: "sg-input", rows: "2", maxlength: "4000", autocomplete: "off" });
  const sendButton = el("button", { type: "submit" }, "Send");
  form.append(el("label", { for: "sg-input" }, "Your message"), input, sendButton);

  panel.append(header, danger, tools, scroller, status, form, announcer);
  root.append(launcher, panel);

  // ---- rendering ---------------------------------------------------------------------

  function renderEntry(entry) {
    const item = el("li", { class: "msg " + entry.from });
    item.append(el("span", { class: "sr-only" }, entry.from === "user" ? "You: " : "Guide: "),
                el("p", { class: "text" }, entry.text));
    if (entry.buttons && entry.buttons.length) {
      const row = el("div", { class: "choices", role: "group", "aria-label": "Choices" });
      for (const choice of entry.buttons) {
        const button = el("button", { type: "button" }, choice.title);
        button.disabled = Boolean(entry.answered);
        button.addEventListener("click", () => {
          if (send(choice.payload, choice.title)) input.focus();  // the row is now disabled
        });
        row.append(button);
      }
      item.append(row);
    }
    return item;
  }

  /** Draw the transcript; show from entry `from` (the first new reply) or else the end. */
  function renderLog(from) {
    log.replaceChildren(...state.log.map(renderEntry));
    const first = from == null ? null : log.children[from];
    if (first) {                           // a long reply is read from its start, not its end
      scroller.scrollTop += first.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
    } else {
      scroller.scrollTop = scroller.scrollHeight;
    }
  }

  function setStatus(kind) {
    status.className = "status " + kind;
    status.replaceChildren();
    if (kind === "typing") {
      status.append("The guide is typing", el("span", { class: "dots", "aria-hidden": "true" }, "..."));
    } else if (kind === "reconnecting") {
      status.append("Reconnecting… your message will be sent when the connection is back.");
    }
  }

  function announce(texts) {
    for (const text of texts) announcer.append(el("p", {}, text));
    while (announcer.childNodes.length > 5) announcer.firstChild.remove();
  }

  // ---- talking to Rasa (our idempotent channel) ---------------------------------------

  let retryTimer = null;
  let attempt = 0;
  let inFlight = false;

  /** Add the worker's message and send it; false if another is still waiting for its answer. */
  function send(message, shownAs) {
    if (state.pending || !message.trim()) return false;
    for (const entry of state.log) if (entry.buttons) entry.answered = true;  // old choices are spent
    state.log.push({ from: "user", text: shownAs || message });
    state.pending = { id: randomId(), message: message };
    save();
    renderLog();
    deliver();
    return true;
  }

  async function deliver() {
    const pending = state.pending;
    if (!pending || inFlight) return;
    clearTimeout(retryTimer);
    inFlight = true;
    setStatus(attempt ? "reconnecting" : "typing");
    const sender = state.sender;
    let replies = null;
    let refused = false;
    try {
      const abort = new AbortController();
      const timeout = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
      const response = await fetch(SERVER + "/webhooks/safeguard/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: pending.message, message_id: pending.id,
                               metadata: { org: ORG }, input_channel: "widget" }),
        credentials: "omit", referrerPolicy: "no-referrer", signal: abort.signal,
      });
      clearTimeout(timeout);
      if (response.ok) replies = await response.json();
      else refused = response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status);
    } catch (e) {
      /* offline, refused connection or timed out: retried below */
    } finally {
      inFlight = false;
    }
    if (state.sender !== sender) { forgetOnServer(sender); return; }  // cleared while it was on its way
    if (state.pending !== pending) return;
    if (Array.isArray(replies)) {
      attempt = 0;
      state.pending = null;
      const firstNew = state.log.length;
      const said = [];
      for (const reply of replies) {
        const buttons = (reply.buttons || []).filter((b) => b && b.title && b.payload)
          .map((b) => ({ title: String(b.title), payload: String(b.payload) }));
        const text = typeof reply.text === "string" ? reply.text : "";
        if (!text && !buttons.length) continue;
        state.log.push({ from: "bot", text: text, buttons: buttons });
        said.push(text);
      }
      save();
      setStatus("");
      renderLog(firstNew - 1);             // from the worker's message, then the replies
      announce(said);
    } else if (refused) {
      attempt = 0;
      state.pending = null;
      state.log.push({ from: "note", text: "That message could not be sent. Please try again; " +
                                            "if a child is in danger now, call 999." });
      save();
      setStatus("");
      renderLog();
    } else {
      attempt += 1;
      setStatus("reconnecting");
      retryTimer = setTimeout(deliver, Math.min(RETRY_MAX_MS, 1000 * 2 ** (attempt - 1)));
    }
  }

  window.addEventListener("online", () => { attempt = Math.min(attempt, 1); deliver(); });

  function forgetOnServer(sender) {
    fetch(BASE + "/api/v1/conversations/forget", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ sender: sender }),
      credentials: "omit", referrerPolicy: "no-referrer", keepalive: true,
    }).catch(() => { /* best effort: an unused conversation is harmless */ });
  }

  function clearConversation() {
    const old = state.sender;
    clearTimeout(retryTimer);
    attempt = 0;
    try { sessionStorage.removeItem(KEY); } catch (e) { /* storage blocked: nothing was kept */ }
    state = fresh();
    state.open = !panel.hidden;
    save();
    setStatus("");
    renderLog();
    forgetOnServer(old);
    announce(["Conversation cleared."]);
    input.value = "";
    input.focus();
  }

  // ---- "Who do I call?": the organisation's contacts, straight from the JSON API ------

  async function loadContacts() {
    contactsBody.replaceChildren(el("p", {}, "Loading the contacts…"));
    const query = state.area ? "?area=" + encodeURIComponent(state.area) : "";
    try {
      const response = await fetch(BASE + "/api/v1/orgs/" + encodeURIComponent(ORG) + "/who-to-call" + query,
                                   { credentials: "omit", referrerPolicy: "no-referrer" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      contactsBody.replaceChildren(...renderPlan(await response.json()));
    } catch (e) {
      contactsBody.replaceChildren(el("p", {}, "The contacts could not be loaded. If a child is in danger now, " +
                                              "call 999; otherwise ring your safeguarding lead."));
    }
  }

  function renderPlan(plan) {
    const parts = [el("p", { class: "plan-for" }, plan.org_name + (plan.area_name ? ", " + plan.area_name : ""))];
    if (plan.areas && plan.areas.length > 1) {
      const select = el("select", { id: "sg-area" });
      select.append(el("option", { value: "" }, "Choose the child's area"));
      for (const [id, name] of plan.areas) {
        const option = el("option", { value: id }, name);
        option.selected = id === plan.area;
        select.append(option);
      }
      select.addEventListener("change", () => { state.area = select.value; save(); loadContacts(); });
      const field = el("p", { class: "field" });
      field.append(el("label", { for: "sg-area" }, "Where does the child live?"), select);
      parts.push(field);
    }
    const steps = el("ol", { class: "steps" });
    for (const step of plan.steps || []) {
      const item = el("li");
      item.append(el("strong", {}, step.role + (step.name ? ": " + step.name : "")));
      const phones = [step.phone, ...(step.other_phones || [])].filter(Boolean);
      if (phones.length || step.email) {
        const line = el("p", { class: "reach" });
        phones.forEach((phone, i) => { if (i) line.append(" or "); line.append(telLink(phone)); });
        if (step.email) {
          if (phones.length) line.append(" · ");
          line.append(el("a", { href: "mailto:" + step.email }, step.email));
        }
        item.append(line);
      }
      const hours = step.open_now === true ? "Open now" : step.open_now === false ? "Closed now" : "";
      const when = [hours, step.next_change, hours ? "" : step.opens].filter(Boolean).join("; ");
      if (when) item.append(el("p", { class: "hours" + (step.open_now === false ? " closed" : "") }, when));
      if (step.why) item.append(el("p", {}, step.why));
      steps.append(item);
    }
    parts.push(steps);
    if (plan.notes && plan.notes.length) {
      const notes = el("ul", { class: "notes" });
      for (const note of plan.notes) notes.append(el("li", {}, note));
      parts.push(notes);
    }
    return parts;
  }

  function toggleContacts() {
    const show = contacts.hidden;
    contacts.hidden = !show;
    contactsToggle.setAttribute("aria-expanded", String(show));
    contactsToggle.textContent = show ? "Back to the chat" : "Who do I call?";
    if (show) {
      scroller.scrollTop = 0;
      contacts.focus();
      loadContacts();
    }
  }

  // ---- opening, closing, keys -----------------------------------------------------------

  // Where the panel fills the window (as widget.css): the page behind it is hidden, so Tab
  // wraps around inside the panel instead of moving focus to something nobody can see.
  const FULL_SCREEN = window.matchMedia("(max-width: 480px), (max-height: 520px)");

  function keepFocusInside(event) {
    const focusable = [...panel.querySelectorAll("a[href], button:not(:disabled), textarea, select")]
      .filter((node) => node.getClientRects().length);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = root.activeElement;
    if (event.shiftKey && (active === first || active === contacts)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function open() {
    panel.setAttribute("aria-modal", String(FULL_SCREEN.matches));
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    save();
    scroller.scrollTop = scroller.scrollHeight;
    input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    launcher.focus();
  }

  launcher.addEventListener("click", open);
  closeButton.addEventListener("click", close);
  contactsToggle.addEventListener("click", toggleContacts);
  clearButton.addEventListener("click", clearConversation);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); close(); }
    else if (event.key === "Tab" && FULL_SCREEN.matches) keepFocusInside(event);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (send(input.value.trim())) input.value = "";
  });
  input.addEventListener("keydown", (event) => {   // Enter sends; Shift+Enter is a new line
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function start() {
    document.body.append(host);
    renderLog();
    if (state.open) {                      // reloaded with the panel open: keep it open, focus stays on the page
      panel.setAttribute("aria-modal", String(FULL_SCREEN.matches));
      panel.hidden = false;
      launcher.hidden = true;
      launcher.setAttribute("aria-expanded", "true");
      scroller.scrollTop = scroller.scrollHeight;
    }
    if (state.pending) deliver();          // a message that was on its way when the page went: resend it
  }

  window.SafeguardWidget = Object.freeze({ open: open, close: close, clear: clearConversation });
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
