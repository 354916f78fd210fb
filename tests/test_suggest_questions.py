"""The questions heuristic: a "why" the lesson asks and answers in the next sentence becomes a card."""

from __future__ import annotations

from support import suggested_by


def questions(write_notebook, tmp_path, text: str, name: str = "q.ipynb"):
    return [
        s.qa
        for s in suggested_by(
            write_notebook([("md", text)], name=name), tmp_path, "questions", min_confidence=0.4
        )
    ]


def test_a_why_heading_and_a_why_in_a_paragraph_become_questions(write_notebook, tmp_path):
    heading = "## Norms\n\n### Why $\\epsilon$?\n\nWithout it, a feature that is constant over the batch divides zero by zero."
    assert questions(write_notebook, tmp_path, heading) == [
        ("Why $\\epsilon$?", "Without it, a feature that is constant over the batch divides zero by zero.")
    ]
    inline = (
        "## Scaling\n\nWhy do libraries scale at training time? Because then the test-time network is the plain "
        "network, with nothing to remember about $p$."
    )
    assert questions(write_notebook, tmp_path, inline, "inline.ipynb") == [
        (
            "Why do libraries scale at training time?",
            "Then the test-time network is the plain network, with nothing to remember about $p$.",
        )
    ]


def test_questions_that_lean_or_have_other_answers_are_left_alone(write_notebook, tmp_path):
    text = (
        "## Norms\n\nWhy does this happen? The mean moves with every batch of examples we draw.\n\n"
        "How does a word get its vector? Multiply its one-hot vector by the embedding table.\n\n"
        "Why the difference? Look inside the network at the activations of every layer.\n\n"
        "Why is the lookup so much cheaper? Count the work for a realistic vocabulary of fifty thousand words."
    )
    assert questions(write_notebook, tmp_path, text) == []


def test_an_answer_that_only_announces_the_argument_is_no_answer(write_notebook, tmp_path):
    # "The derivation takes four short steps." on the back answers nothing (round 52, both readers)
    text = "## Critics\n\nWhy can no 1-Lipschitz $f$ exceed $W_1$? The derivation takes four short steps."
    assert questions(write_notebook, tmp_path, text) == []
    text = (
        "## Critics\n\nWhy can no 1-Lipschitz $f$ exceed $W_1$? Moving earth costs at least what $f$ gains."
    )
    assert questions(write_notebook, tmp_path, text) != []


def test_a_heading_question_takes_only_a_sentence_that_gives_a_reason(write_notebook, tmp_path):
    text = (
        "## Decoding\n\n### Why not just try every sentence?\n\n"
        "The exact answer is the sentence with the highest score, $\\arg\\max_y \\log P(y)$."
    )
    assert questions(write_notebook, tmp_path, text) == []
