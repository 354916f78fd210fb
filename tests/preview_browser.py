"""The preview page checked in a real browser: the distribution's Chromium, driven by Playwright.

A plain module (not a conftest), so that any test can use it: `open_chromium()` starts the browser,
`check_page()` loads a preview page and returns every problem found, each tagged with the name of
the check that caught it. Checks:

- `console-error`: the page logged an error, threw, or failed to load a file.
- `outside-request`: the page asked for anything outside its own folder (a CDN, another folder).
- `mathjax-missing`: MathJax did not load, or did not finish typesetting.
- `mathjax-error`: MathJax reported an error in a formula (`\\frac{a}`: a missing argument).
- `undefined-macro`: a formula uses a macro MathJax does not know (Anki shows it in red).
- `raw-delimiters`: `\\(`, `\\[` or a `$..$` pair left in visible text outside code: the math was
  never typeset (an unbalanced brace keeps MathJax from finding the end of the formula).
- `broken-image`: an image did not load (natural width 0).
- `too-wide`: at 360 px, a card side is wider than the screen (a formula may scroll inside its own box).
- `answer-shown`: a front shows its answer (the answer's part of the back, or a cloze it should hide).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_CHROMIUM = (
    "the preview check needs the distribution's Chromium at /usr/bin/chromium; install it as root with "
    "`apt-get update && apt-get install -y chromium` (.ci/run does this)"
)
INSTALL_PLAYWRIGHT = (
    "the preview check drives Chromium with Playwright for Python; install the test extra with "
    "`make setup` (or `pip install -e '.[test]'`); never run `playwright install`: the check uses the "
    "system Chromium"
)
PHONE_WIDTH = 360


@dataclass(frozen=True)
class Problem:
    """One thing a check found on the page."""

    check: str
    card: str
    """`#N key` of the card, or '' for the page as a whole."""
    detail: str
    place: str = ""
    """Where on the card: the class of the nearest element that has one (`srs-context`), or `h2`."""

    def __str__(self) -> str:
        return f"[{self.check}] {self.card + ': ' if self.card else ''}{self.detail}"


def why_no_browser() -> str | None:
    """What is missing for the browser check, or None when everything is there."""
    if not CHROMIUM.is_file() and shutil.which("chromium") is None:
        return INSTALL_CHROMIUM
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return INSTALL_PLAYWRIGHT
    return None


@contextmanager
def open_chromium() -> Iterator[Any]:
    """A headless Chromium (the system one, never a downloaded build), closed at the end."""
    from playwright.sync_api import sync_playwright

    executable = str(CHROMIUM) if CHROMIUM.is_file() else shutil.which("chromium")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def check_page(
    browser: Any, page_path: Path, screenshots: Path | None = None, first_cards: int = 3
) -> list[Problem]:
    """Load a preview page and run every check; with `screenshots`, also photograph its first cards
    in light and night mode (`NAME-light.png`, `NAME-night.png`, and the same at phone width)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    problems: list[Problem] = []
    page.on("console", lambda message: _console(message, problems))
    page.on("pageerror", lambda error: problems.append(Problem("console-error", "", f"uncaught: {error}")))
    page.on("requestfailed", lambda request: problems.append(
        Problem("console-error", "", f"could not load {request.url}: {request.failure}")
    ))
    folder = page_path.resolve().parent.as_uri() + "/"
    page.on("request", lambda request: None if request.url.startswith(folder) else problems.append(
        Problem("outside-request", "", f"the page asked for {request.url}, outside its folder")
    ))
    try:
        page.goto(page_path.resolve().as_uri(), wait_until="load")
        state = _wait_for_mathjax(page)
        if state != "done":
            problems.append(Problem("mathjax-missing", "", f"MathJax did not typeset the page (state: {state})"))
            return problems
        problems += [Problem(**found) for found in page.evaluate(PAGE_CHECKS)]
        if screenshots is not None:
            _photograph(page, screenshots / page_path.stem, first_cards, phone=False)
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 780})
        page.check("#srs-phone")
        problems += [Problem(**found) for found in page.evaluate(WIDTH_CHECK, PHONE_WIDTH)]
        if screenshots is not None:
            _photograph(page, screenshots / page_path.stem, first_cards, phone=True)
    finally:
        context.close()
    return problems


def _console(message: Any, problems: list[Problem]) -> None:
    if message.type == "error":
        problems.append(Problem("console-error", "", message.text))


def _wait_for_mathjax(page: Any) -> str:
    try:
        page.wait_for_function("document.body.dataset.mathjax !== 'loading'", timeout=60_000)
    except Exception:  # Playwright's timeout error
        return "still loading after 60 s"
    return str(page.evaluate("document.body.dataset.mathjax"))


SCREENSHOT_TIMEOUT_MS = 120_000


def _photograph(page: Any, stem: Path, first_cards: int, phone: bool) -> None:
    stem.parent.mkdir(parents=True, exist_ok=True)
    suffix = "-phone" if phone else ""
    for mode in ("light", "night"):
        if mode == "night":
            page.check("#srs-night")
        else:
            page.uncheck("#srs-night")
        box = page.evaluate(CARDS_BOX, first_cards)
        # a full-page shot of a long lesson on a busy 2-core machine has taken over Playwright's 30 s
        target = stem.with_name(f"{stem.name}-{mode}{suffix}.png")
        page.screenshot(path=str(target), clip=box, full_page=True, timeout=SCREENSHOT_TIMEOUT_MS)
    page.uncheck("#srs-night")


CARDS_BOX = """(count) => {
  const cards = [...document.querySelectorAll('.srs-preview-card')].slice(0, count);
  const first = cards[0].getBoundingClientRect(), last = cards[cards.length - 1].getBoundingClientRect();
  const top = first.top + window.scrollY - 40;
  return {x: 0, y: Math.max(0, top), width: document.documentElement.clientWidth,
          height: last.bottom + window.scrollY - Math.max(0, top) + 10};
}"""

PAGE_CHECKS = r"""() => {
  const problems = [];
  const cardName = (element) => {
    const card = element && element.closest('.srs-preview-card');
    if (!card) return '';
    const data = JSON.parse(card.dataset.card);
    return `${card.querySelector('.srs-preview-number').textContent} ${data.key}` +
      (data.cloze ? ` c${data.cloze}` : '');
  };
  const placeOf = (element) => {
    const marked = element.closest('[class], h2');
    return marked ? (marked.tagName === 'H2' ? 'h2' : marked.className) : '';
  };
  const add = (check, element, detail) =>
    problems.push({check, card: cardName(element), detail, place: placeOf(element)});
  const squash = (text) => text.replace(/\s+/g, ' ').trim();

  // MathJax's own view of every formula it typeset
  for (const item of MathJax.startup.document.math) {
    const mathml = MathJax.startup.toMML(item.root);
    const where = item.typesetRoot;
    for (const found of mathml.matchAll(/data-mjx-error="([^"]*)"/g)) {
      add('mathjax-error', where, `${found[1]} in ${squash(item.math)}`);
    }
    for (const found of mathml.matchAll(/<mtext mathcolor="red">(\\[^<]*)<\/mtext>/g)) {
      add('undefined-macro', where, `${found[1]} in ${squash(item.math)}`);
    }
  }

  // math MathJax never found: delimiters left in the text a reader sees
  const raw = /\\\(|\\\[|\$[^\s$](?:[^$\n]*[^\s$])?\$/;
  const skip = 'pre, code, script, style, textarea, mjx-container';
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(skip)) continue;
    const found = node.textContent.match(raw);
    if (found) add('raw-delimiters', node.parentElement, `"${squash(node.textContent).slice(0, 120)}"`);
  }

  for (const image of document.querySelectorAll('main img')) {
    if (!image.complete || image.naturalWidth === 0) {
      add('broken-image', image, `${image.getAttribute('src')} did not load`);
    }
  }

  // the answer stays hidden on the front
  for (const card of document.querySelectorAll('.srs-preview-card')) {
    const front = card.querySelector('[data-side=front] > .card');
    const back = card.querySelector('[data-side=back] > .card');
    const cloze = JSON.parse(card.dataset.card).cloze;
    if (front.querySelector('#answer')) add('answer-shown', card, 'the front holds the answer separator');
    const separator = back.querySelector('#answer');
    if (cloze) {
      for (const hidden of front.querySelectorAll('.cloze')) {
        if (!/^\[.*\]$/s.test(squash(hidden.textContent))) {
          add('answer-shown', card, `the front shows cloze text "${squash(hidden.textContent)}"`);
        }
      }
      const question = document.createRange();
      question.selectNodeContents(back);
      if (separator) question.setEndBefore(separator);
      if (squash(question.toString()) === squash(front.textContent)) {
        add('answer-shown', card, 'the front hides nothing: it reads as the back does');
      }
      continue;
    }
    if (!separator) continue;
    // whole elements only: a formula's inner glyphs (a lone "1") are not an answer
    const frontElements = [...front.querySelectorAll('*')].filter((e) => !e.parentElement.closest('mjx-container'));
    const frontTexts = new Set(frontElements.map((e) => squash(e.textContent)).filter(Boolean));
    const frontImages = new Set([...front.querySelectorAll('img')].map((e) => e.getAttribute('src')));
    for (let part = separator.nextElementSibling; part; part = part.nextElementSibling) {
      const text = squash(part.textContent);
      if (text && frontTexts.has(text)) add('answer-shown', card, `the front shows the answer "${text.slice(0, 80)}"`);
      for (const image of part.querySelectorAll('img')) {
        if (frontImages.has(image.getAttribute('src'))) {
          add('answer-shown', card, `the front shows the answer's image ${image.getAttribute('src')}`);
        }
      }
    }
  }
  return problems;
}"""

WIDTH_CHECK = r"""(width) => {
  // What a reader sees sticking out past a card side's right edge: every element counts except what
  // sits inside a box that scrolls or clips on its own (a display formula's .srs-math, a code block)
  // and MathJax's assistive MathML, which is clipped to nothing for screen readers.
  const sticksOut = (side) => {
    const edge = side.getBoundingClientRect().right + 0.5;
    const walker = document.createTreeWalker(side, NodeFilter.SHOW_ELEMENT, (element) => {
      if (element.tagName === 'MJX-ASSISTIVE-MML') return NodeFilter.FILTER_REJECT;
      const parent = element.parentElement;
      if (parent !== side && parent.closest('.card') === side && getComputedStyle(parent).overflowX !== 'visible') {
        return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    });
    for (let element = walker.nextNode(); element; element = walker.nextNode()) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.right > edge) return {element, right: box.right};
    }
    return null;
  };
  const describe = (element) => {
    const label = element.tagName.toLowerCase() + (element.classList.length ? '.' + [...element.classList].join('.') : '');
    const math = element.closest('mjx-container');
    const text = math ? `the formula ${math.getAttribute('display') === 'true' ? '(display)' : '(inline)'}`
                      : `"${element.textContent.replace(/\s+/g, ' ').trim().slice(0, 60)}"`;
    return `${label} ${text}`;
  };
  const problems = [];
  for (const side of document.querySelectorAll('.srs-preview-side > .card')) {
    const card = side.closest('.srs-preview-card');
    const data = JSON.parse(card.dataset.card);
    const name = `${card.querySelector('.srs-preview-number').textContent} ${data.key}` + (data.cloze ? ` c${data.cloze}` : '');
    const box = side.getBoundingClientRect();
    const which = side.parentElement.dataset.side;
    if (box.right > width + 0.5 || box.left < -0.5) {
      problems.push({check: 'too-wide', card: name, detail: `the ${which} spans ${Math.round(box.left)}..${Math.round(box.right)} px`});
      continue;
    }
    const out = sticksOut(side);
    if (out) {
      problems.push({check: 'too-wide', card: name, place: describe(out.element),
                     detail: `on the ${which}, ${describe(out.element)} reaches ${Math.round(out.right)} px on a ${width}-px screen`});
    }
  }
  return problems;
}"""
