// The preview page's own behaviour: the night-mode and phone-width switches, typesetting the cards,
// and marking the cards whose math MathJax could not typeset.
window.srsPreview = (() => {
  const body = document.body;

  function setNight(on) {
    // Anki marks night mode with .nightMode (and .night_mode for older note types) on the card's body
    for (const element of [body, ...document.querySelectorAll(".srs-preview-side > .card")]) {
      element.classList.toggle("nightMode", on);
      element.classList.toggle("night_mode", on);
    }
    document.getElementById("srs-night").checked = on;
  }

  function setPhone(on) {
    body.classList.toggle("srs-phone", on);
    document.getElementById("srs-phone").checked = on;
  }

  function mathProblems(item) {
    const mathml = MathJax.startup.toMML(item.root);
    const problems = [];
    for (const found of mathml.matchAll(/data-mjx-error="([^"]*)"/g)) {
      problems.push({ check: "mathjax-error", message: found[1] });
    }
    // the noundefined package shows an unknown macro as its name in red instead of failing
    for (const found of mathml.matchAll(/<mtext mathcolor="red">(\\[^<]*)<\/mtext>/g)) {
      problems.push({ check: "undefined-macro", message: `undefined macro ${found[1]}` });
    }
    return problems;
  }

  function markProblems() {
    const marked = [];
    for (const item of MathJax.startup.document.math) {
      const problems = mathProblems(item);
      const container = item.typesetRoot;
      const card = container && container.closest(".srs-preview-card");
      if (!problems.length || !card) continue;
      const list = card.querySelector(".srs-preview-problems");
      for (const problem of problems) {
        const line = document.createElement("li");
        line.textContent = `${problem.message} in ${item.math.trim()}`;
        list.appendChild(line);
      }
      list.hidden = false;
      card.classList.add("srs-preview-has-problems");
      if (!marked.includes(card)) marked.push(card);
    }
    if (marked.length) summarise(marked);
  }

  function summarise(cards) {
    const summary = document.getElementById("srs-math-problems");
    summary.append(`MathJax could not typeset the math of ${cards.length} card(s): `);
    cards.forEach((card, index) => {
      const link = document.createElement("a");
      link.href = `#${card.id}`;
      link.textContent = card.querySelector(".srs-preview-number").textContent;
      summary.append(index ? ", " : "", link);
    });
    summary.hidden = false;
  }

  function typeset() {
    return MathJax.typesetPromise([document.querySelector("main")])
      .then(markProblems)
      .then(() => { body.dataset.mathjax = "done"; })
      .catch((error) => {
        body.dataset.mathjax = "failed";
        console.error("MathJax failed:", error);
      });
  }

  function mathjaxMissing() {
    body.dataset.mathjax = "missing";
    document.getElementById("srs-mathjax-missing").hidden = false;
  }

  const query = new URLSearchParams(location.search);
  document.getElementById("srs-night").addEventListener("change", (event) => setNight(event.target.checked));
  document.getElementById("srs-phone").addEventListener("change", (event) => setPhone(event.target.checked));
  setNight(query.has("night") || (!query.has("day") && matchMedia("(prefers-color-scheme: dark)").matches));
  setPhone(query.has("phone"));
  return { typeset, mathjaxMissing, setNight, setPhone };
})();
