// offline_app.js: the page of an offline lesson file (explorer/offline.py builds it).
//
// Stands in for Streamlit: reads the file's JSON data, calls the same view entry the live
// component uses (softmax_view.js / weights_view.js) with {data, parentElement,
// setStateValue}, keeps the view's state in the URL #hash, and walks a lesson's steps
// (Next/Previous, PageDown/PageUp) with reveals computed by the browser math. Every value
// is written with textContent or attributes.

import softmaxView from "./softmax_view.js";
import weightsView from "./weights_view.js";
import { fill, make } from "./dom.js";
import { formatHash, parseHash } from "./offline_hash.js";
import { quantitiesOf, renderReveal } from "./offline_reveal.js";

const VIEWS = { softmax: softmaxView, weights: weightsView };
const KEYS = { PageDown: 1, PageUp: -1 };

const clone = (value) => JSON.parse(JSON.stringify(value));

/** Paragraphs of plain text (a blank line separates them; other line breaks are spaces). */
function paragraphs(parent, text, attrs = {}) {
  for (const block of text.trim().split(/\n\s*\n/)) {
    make("p", { ...attrs, text: block.replace(/\s*\n\s*/g, " ") }, parent);
  }
}

function start(data) {
  const lesson = data.lesson;
  const steps = lesson ? lesson.steps.length : null;
  const app = { epoch: 0, step: lesson ? 1 : null, view: null };
  const note = document.getElementById("hash-note");
  const host = document.getElementById("view");

  const writeHash = () => {
    const text = `#${formatHash(app.view.state, app.step)}`;
    if (location.hash !== text) history.replaceState(null, "", text);
  };
  const show = (state) => {
    app.epoch += 1;
    app.view = VIEWS[data.page]({
      data: { ...data.view, epoch: app.epoch, state, present: false },
      parentElement: host,
      setStateValue: () => {},  // nothing to sync: the hash follows every draw instead
    });
    writeHash();
  };
  host.addEventListener("live-drawn", () => { if (app.view) writeHash(); });

  // The state of the address: the lesson step (or the exported view), then the values
  // of the hash over it.
  const read = () => {
    const first = parseHash(location.hash, data.state, data.rules, steps, data.labels.hash);
    if (lesson) app.step = first.step ?? 1;
    const base = lesson ? lesson.states[app.step] : data.state;
    const opened = parseHash(location.hash, base, data.rules, steps, data.labels.hash);
    note.textContent = "";
    note.hidden = !opened.problems.length;
    if (opened.problems.length) {
      make("strong", { text: data.labels.ignored }, note);
      for (const problem of opened.problems) make("span", { text: `${problem} ` }, note);
    }
    return opened.state;
  };
  const panel = lesson ? lessonPanel(data, app, show) : null;
  const open = () => {
    const state = read();
    if (panel) panel.render();
    show(state);
  };
  open();
  // An address edited by hand (or a bookmark opened in the same tab) is read again.
  window.addEventListener("hashchange", open);
}

function lessonPanel(data, app, show) {
  const { lesson } = data;
  const L = data.labels;
  const box = document.getElementById("lesson");
  box.hidden = false;
  const head = make("div", { class: "lesson-head" }, box);
  const where = make("p", { class: "lesson-where", "aria-live": "polite" }, head);
  const previous = make("button", { type: "button", "data-action": "previous",
                                    text: L.previous }, head);
  const next = make("button", { type: "button", "data-action": "next", class: "primary",
                                text: L.next }, head);
  const body = make("div", { class: "lesson-body" }, box);
  const look = make("div", { class: "lesson-look" }, body);
  const ask = make("fieldset", { class: "lesson-question" }, body);
  const legend = make("legend", {}, ask);
  const choices = make("div", { class: "choices" }, ask);
  const reveal = make("button", { type: "button", "data-action": "reveal", text: L.reveal },
                      ask);
  const answer = make("div", { class: "lesson-reveal", "aria-live": "polite", hidden: "" },
                      box);

  const chosen = () => {
    const input = choices.querySelector("input:checked");
    return input ? Number(input.value) : null;
  };
  const render = () => {
    const step = lesson.steps[app.step - 1];
    where.textContent = "";
    make("strong", { text: lesson.title }, where);
    make("span", { text: fill(L.where, { number: app.step, total: lesson.steps.length }) },
         where);
    make("strong", { text: step.title }, where);
    previous.disabled = app.step === 1;
    next.disabled = app.step === lesson.steps.length;
    look.textContent = "";
    paragraphs(look, step.look);
    legend.textContent = step.question;
    choices.textContent = "";
    step.choices.forEach((choice, index) => {
      const label = make("label", {}, choices);
      make("input", { type: "radio", name: "choice", value: index }, label)
        .addEventListener("change", () => { reveal.disabled = false; });
      make("span", { text: choice }, label);
    });
    reveal.disabled = true;
    reveal.hidden = false;
    answer.hidden = true;
    answer.textContent = "";
  };
  const go = (number) => {
    if (number < 1 || number > lesson.steps.length || number === app.step) return;
    app.step = number;
    render();
    show(clone(lesson.states[number]));
  };
  const showReveal = () => {
    const picked = chosen();
    if (picked === null) return;
    const step = lesson.steps[app.step - 1];
    const now = { ...quantitiesOf(data.page, app.view.state, data.view), ...step.server.now };
    const before = { ...quantitiesOf(data.page, lesson.states[app.step - 1], data.view),
                     ...step.server.before };
    answer.textContent = "";
    const right = step.choices[step.answer];
    make("strong", { class: picked === step.answer ? "right" : "wrong",
                     text: fill(picked === step.answer ? L.right : L.wrong,
                                { answer: right }) }, answer);
    let text;
    try {
      text = renderReveal(step.reveal, now, before);
    } catch (error) {
      text = fill(L.unreadable, { reason: error.message });
    }
    paragraphs(answer, text, { "data-reveal": "" });
    if (step.server.names.length) {
      make("p", { class: "server-note",
                  text: fill(L.serverNote, { names: step.server.names.join(", ") }) }, answer);
    }
    answer.hidden = false;
    reveal.hidden = true;
  };
  previous.addEventListener("click", () => go(app.step - 1));
  next.addEventListener("click", () => go(app.step + 1));
  reveal.addEventListener("click", showReveal);
  // A presenter's clicker sends PageDown/PageUp; a focused slider must not take them.
  document.addEventListener("keydown", (event) => {
    const delta = KEYS[event.key];
    if (!delta || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    go(app.step + delta);
  }, true);
  return { render };
}

start(JSON.parse(document.getElementById("offline-data").textContent));
