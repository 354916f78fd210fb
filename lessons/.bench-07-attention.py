import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

import utils

utils.set_seed(42)

tokens = "the cat sat on the mat".split()
vocab = sorted(set(tokens))  # ['cat', 'mat', 'on', 'sat', 'the']
token_ids = torch.tensor([vocab.index(token) for token in tokens])
token_ids

d_model = 8  # width of every token's vector
embedding_table = torch.randn(len(vocab), d_model)  # one row per word: cat, mat, on, sat, the
X = embedding_table[token_ids]  # rows: the, cat, sat, on, the, mat
X.shape

F.scaled_dot_product_attention(X, X, X, is_causal=True).shape

d_hidden = 16
W_xh = torch.randn(d_model, d_hidden) / math.sqrt(d_model)
W_hh = torch.randn(d_hidden, d_hidden) / math.sqrt(d_hidden)


def rnn_last_state(xs: torch.Tensor) -> torch.Tensor:
    """Run a plain tanh RNN over the rows of xs and return its final hidden state."""
    # the only thing carried from one token to the next is h
    h = torch.zeros(d_hidden)
    for x_t in xs:
        h = torch.tanh(x_t @ W_xh + h @ W_hh)
    return h

rnn_last_state(X).shape  # everything about our 6 tokens...

rnn_last_state(torch.randn(600, d_model)).shape  # ...and everything about a 600-token document

cat = embedding_table[vocab.index("cat")]
kitten = cat + 0.3 * torch.randn(d_model)  # a made-up word whose vector sits close to "cat"
mat = embedding_table[vocab.index("mat")]
print(f"cat·kitten = {cat @ kitten:.2f}    cat·mat = {cat @ mat:.2f}")

F.cosine_similarity(cat, kitten, dim=0), F.cosine_similarity(cat, mat, dim=0)

pets = {"cat": "meows", "dog": "barks"}
pets["cat"]  # exactly one key matches, so we get exactly its value

d_k = 4  # width of queries and keys
d_v = 3  # width of values; real models use d_v = d_k, a different number here keeps the shapes apart
W_Q = torch.randn(d_model, d_k) / math.sqrt(d_model)  # dividing by sqrt(d_model) keeps entries near unit variance
W_K = torch.randn(d_model, d_k) / math.sqrt(d_model)
W_V = torch.randn(d_model, d_v) / math.sqrt(d_model)

Q = X @ W_Q  # one query per token

#| card: shape
#| id: shape-keys
#| dims: {X: [tokens, d_model], W_K: [d_model, d_k], K: [tokens, d_k]}
#| extra: Each row of X (one token) times W_K gives that token's key; the d_model axis is summed away.
K = X @ W_K

V = X @ W_V  # one value per token
Q.shape, K.shape, V.shape

q_sat = Q[2]  # the query of "sat"
k_cat = K[1]  # the key of "cat"

q_sat @ k_cat  # one number: how much "sat" wants to read from "cat"

sum(q_sat[i] * k_cat[i] for i in range(d_k))  # the same number, one product at a time

#| card: shape
#| id: shape-scores-one-query
#| dims: {q_sat: [d_k], K: [tokens, d_k], scores_sat: [tokens]}
#| extra: One score per key. The shared d_k axis is summed away, leaving one number per token.
scores_sat = q_sat @ K.T

scores_sat  # entry 1 is the "sat"-"cat" score from above

torch.isclose(scores_sat[1], q_sat @ k_cat)

weights_sat = torch.exp(scores_sat) / torch.exp(scores_sat).sum()  # softmax, spelled out
weights_sat

weights_sat.sum()

torch.allclose(weights_sat, torch.softmax(scores_sat, dim=0))

#| card: output
#| id: softmax-equal-scores
#| extra: Equal scores mean equal exponentials, so each of the 4 entries gets 1/4, whatever the shared score is.
torch.softmax(torch.tensor([2.0, 2.0, 2.0, 2.0]), dim=0)

#| card: numeric
#| id: softmax-ln3
#| front: 'What weight does softmax give the second entry of the scores $[0, \ln 3]$?'
#| digits: 2
#| expect: 0.75
#| tol: 0.000001
#| extra: '$e^{0} = 1$ and $e^{\ln 3} = 3$, so the weights are $1/4$ and $3/4$.'
torch.softmax(torch.tensor([0.0, math.log(3.0)]), dim=0)[1].item()

big_scores = torch.tensor([1000.0, 1001.0, 1002.0])
torch.exp(big_scores) / torch.exp(big_scores).sum()  # exp(1000) is inf in float32, and inf / inf is nan

shifted = big_scores - big_scores.max()  # the largest score becomes 0, so nothing overflows
torch.exp(shifted) / torch.exp(shifted).sum()

# EXERCISE: a softmax that never overflows
#
# Every attention layer runs a softmax over each row of its scores, and long contexts or large weights
# easily produce scores in the hundreds. Write a row-wise softmax that uses the shift trick above.
#
# Your task: fill in test_stable_softmax so it works on any 2-D tensor, one distribution per row.


def test_stable_softmax(test_scores: torch.Tensor) -> torch.Tensor:
    """Softmax along the last axis that cannot overflow."""
    # fill in code here: subtract each row's max (keepdim=True), exponentiate, divide by each row's sum
    raise NotImplementedError


# Check: uncomment these lines; they pass silently when your function is right.
# test_rows = torch.tensor([[1000.0, 1001.0, 1002.0], [1.0, 2.0, 3.0], [-5.0, 0.0, 5.0]])
# test_result = test_stable_softmax(test_rows)
# assert not test_result.isnan().any(), "the shift should prevent overflow"
# assert torch.allclose(test_result, torch.softmax(test_rows, dim=-1)), "each row should match torch.softmax"

#| card: figure
#| id: softmax-saturation
#| front: 'Sketch the three softmax weights of $c \cdot [1, 2, 3]$ as $c$ grows from 0 to 10.'
#| back: The top weight climbs toward 1; the other two sink toward 0.
#| extra: Stretching the scores stretches their differences, and softmax turns big differences into a near one-hot choice.
stretch = torch.linspace(0, 10, 101)
stretched_weights = torch.softmax(stretch[:, None] * torch.tensor([1.0, 2.0, 3.0]), dim=-1)
fig, ax = plt.subplots(figsize=(5, 3))
for index, label in enumerate(["score 1·c", "score 2·c", "score 3·c"]):
    ax.plot(stretch, stretched_weights[:, index], label=label)
ax.set_xlabel("stretch factor c")
ax.set_ylabel("softmax weight")
ax.set_title("softmax of c·[1, 2, 3]")
ax.legend()
plt.show()

for stretch_factor in [1.0, 10.0]:
    saturation_scores = (stretch_factor * torch.tensor([1.0, 2.0, 3.0])).requires_grad_()
    top_weight = torch.softmax(saturation_scores, dim=0)[2]
    top_weight.backward()
    print(f"c = {stretch_factor:4}: top weight {top_weight.item():.5f}, gradient {saturation_scores.grad}")

#| card: shape
#| id: shape-score-matrix
#| dims: {Q: [tokens, d_k], K: [tokens, d_k], scores: [tokens, tokens]}
#| extra: Row i holds query i against every key, so the matrix is tokens × tokens whatever d_k is.
scores = Q @ K.T

torch.allclose(scores[2], scores_sat)  # row 2 is the "sat" query we computed alone

weights = torch.softmax(scores, dim=-1)

#| card: output
#| id: weight-rows-sum
#| front: '`weights` is the row-wise softmax of the 6 × 6 score matrix. What does this line show?'
#| extra: Softmax ran along each row, so each of the 6 rows is a distribution and sums to 1.
weights.sum(dim=-1).round(decimals=4)

#| card: figure
#| id: heatmap-self
#| front: 'In the attention heatmap of "the cat sat on the mat" (random weights, no position information), which two rows match exactly?'
#| back: The rows of the two "the" tokens, rows 1 and 5.
#| extra: Both copies of "the" have the same embedding, hence the same query, so they split their attention identically.
utils.plot_attention(weights, tokens, title="attention weights, random projections")
plt.show()

torch.equal(weights[0], weights[4])

#| card: shape
#| id: shape-output
#| dims: {weights: [tokens, tokens], V: [tokens, d_v], out: [tokens, d_v]}
#| extra: One output per query, each as wide as a value. The output's width comes from V, not from Q or K.
out = weights @ V

by_hand = sum(weights[2, j] * V[j] for j in range(len(tokens)))  # "sat" mixes all six values
torch.allclose(by_hand, out[2])

num_pairs = 200_000
q_many = torch.randn(num_pairs, 64)  # 200k random queries, d_k = 64, entries of variance 1
k_many = torch.randn(num_pairs, 64)  # 200k random keys
raw_scores = (q_many * k_many).sum(dim=-1)  # one dot product per row

#| card: numeric
#| id: measured-std-raw
#| front: 'Measured over 200,000 random query-key pairs with $d_k = 64$ and unit-variance entries, about what std do the raw scores $q \cdot k$ have?'
#| digits: 2
#| expect: 8
#| tol: 0.1
#| extra: '$\mathrm{Var}(q \cdot k) = d_k = 64$, so the std is $\sqrt{64} = 8$: typical scores land around ±8.'
raw_scores.std().item()

#| card: numeric
#| id: measured-std-scaled
#| front: 'After dividing by $\sqrt{d_k}$, about what std do attention scores have, measured over 200,000 random unit-variance pairs with $d_k = 64$?'
#| digits: 2
#| expect: 1
#| tol: 0.02
#| extra: Dividing by 8 divides the std by 8, so 8 becomes 1, whatever the width.
(raw_scores / math.sqrt(64)).std().item()

widths = [1, 4, 16, 32, 64, 128, 192, 256, 384, 512]
raw_stds = [(torch.randn(20_000, n) * torch.randn(20_000, n)).sum(dim=-1).std().item() for n in widths]
scaled_stds = [std / math.sqrt(n) for std, n in zip(raw_stds, widths, strict=True)]
for n, raw_std, scaled_std in zip(widths, raw_stds, scaled_stds, strict=True):
    print(f"d_k = {n:3}   std of q·k = {raw_std:6.2f}   sqrt(d_k) = {math.sqrt(n):6.2f}   scaled std = {scaled_std:.2f}")

#| card: figure
#| id: std-versus-dk
#| front: 'Sketch the measured std of attention scores against $d_k$, for raw scores $q \cdot k$ and for scores divided by $\sqrt{d_k}$.'
#| back: 'Raw: grows like $\sqrt{d_k}$. Scaled: flat at about 1.'
#| extra: The variance of a sum of $d_k$ independent unit-variance products is $d_k$; dividing by $\sqrt{d_k}$ cancels it.
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(widths, raw_stds, "o-", label="raw  q·k")
ax.plot(widths, [math.sqrt(n) for n in widths], "k--", linewidth=1, label="√d_k")
ax.plot(widths, scaled_stds, "s-", label="scaled  q·k / √d_k")
ax.set_xlabel("d_k")
ax.set_ylabel("measured std of the score")
ax.legend()
plt.show()

peak_q = torch.randn(1_000, 512)  # 1,000 queries
peak_k = torch.randn(1_000, 6, 512)  # six keys for each query
peak_scores = (peak_q[:, None, :] * peak_k).sum(dim=-1)  # (1000, 6) raw scores
raw_peak = torch.softmax(peak_scores, dim=-1).max(dim=-1).values.mean()
scaled_peak = torch.softmax(peak_scores / math.sqrt(512), dim=-1).max(dim=-1).values.mean()
print(f"average top weight: raw {raw_peak:.3f}, scaled {scaled_peak:.3f}")

# | export
import math

import torch

# | export
def attention(
    Q: torch.Tensor, K: torch.Tensor, V: torch.Tensor, mask: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Scaled dot-product attention; `mask` is boolean, True where a query may look. Returns (output, weights)."""
    d_k = Q.shape[-1]
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)  # transpose the last two axes so batches work too
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))  # exp(-inf) = 0: hidden keys get no weight
    weights = torch.softmax(scores, dim=-1)
    return weights @ V, weights

out_scaled, weights_scaled = attention(Q, K, V)
torch.allclose(out_scaled, F.scaled_dot_product_attention(Q, K, V), atol=1e-6)  # matches PyTorch's version

# | export
def causal_mask(num_tokens: int) -> torch.Tensor:
    """Boolean (num_tokens, num_tokens) mask, True where the key is not after the query."""
    return torch.tril(torch.ones(num_tokens, num_tokens, dtype=torch.bool))

causal_mask(len(tokens))

causal_out, causal_weights = attention(Q, K, V, mask=causal_mask(len(tokens)))

#| card: figure
#| id: heatmap-causal
#| front: 'In the causal attention heatmap of "the cat sat on the mat", where must every weight be zero?'
#| back: Everywhere above the diagonal, where a key comes after its query.
#| extra: Row 1 puts all its weight on itself; row 6 may spread over the whole sentence.
utils.plot_attention(causal_weights, tokens, title="causal attention weights")
plt.show()

torch.allclose(causal_out[0], V[0])

#| card: output
#| id: causal-equal-scores
#| extra: Equal scores give equal weights, but only over the visible keys. Row i sees i keys, so each gets 1/i.
torch.softmax(torch.zeros(3, 3).masked_fill(~causal_mask(3), float("-inf")), dim=-1)

# EXERCISE: a padding mask
#
# Batches hold sentences of different lengths, so short ones are padded with filler tokens. Real tokens
# must never attend to the filler, or the padding would change their outputs.
#
# Here "the cat sat" is padded to 5 tokens with two filler rows. Build test_mask, a boolean (5, 5) tensor
# that is True only where the key is a real token (the first 3 columns), for every query.
test_X = torch.cat([X[:3], torch.zeros(2, d_model)])  # "the cat sat" + two filler rows
test_real = torch.tensor([True, True, True, False, False])  # which positions hold real tokens
test_mask = torch.ones(5, 5, dtype=torch.bool)  # fill in code here: allow only the real keys in every row

# Check: uncomment these lines; they pass silently when test_mask is right.
# test_out, test_weights = attention(test_X @ W_Q, test_X @ W_K, test_X @ W_V, mask=test_mask)
# assert torch.all(test_weights[:, ~test_real] == 0), "no query may put weight on a padding token"
# test_alone, _ = attention(X[:3] @ W_Q, X[:3] @ W_K, X[:3] @ W_V)
# assert torch.allclose(test_out[:3], test_alone, atol=1e-6), "real tokens should not notice the padding"

def first_token_influence(model, num_tokens: int, trials: int = 20) -> float:
    """Average size of d(last output) / d(first token) over random sequences of a given length."""
    total = 0.0
    for _ in range(trials):
        xs = torch.randn(num_tokens, d_model, requires_grad=True)
        (grad,) = torch.autograd.grad(model(xs).sum(), xs)
        total += grad[0].norm().item()
    return total / trials


def attention_last_output(xs: torch.Tensor) -> torch.Tensor:
    """One attention layer with our projections; the output at the last position."""
    return attention(xs @ W_Q, xs @ W_K, xs @ W_V)[0][-1]


lengths = [4, 16, 28, 40, 52, 64]
rnn_influence = [first_token_influence(rnn_last_state, n) for n in lengths]
attention_influence = [first_token_influence(attention_last_output, n) for n in lengths]

#| card: figure
#| id: influence-versus-length
#| front: 'On a log scale, sketch how the first token''s influence on the last output falls as sequences grow, for an RNN and for attention.'
#| back: 'RNN: a steep straight plunge (exponential decay). Attention: a gentle slope, roughly like $1/T$.'
#| extra: The RNN's signal passes through T squashing steps, each shrinking it. Attention reaches token 1 in one step; it only shares its weight among more tokens.
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(lengths, rnn_influence, "o-", label="RNN")
ax.plot(lengths, attention_influence, "s-", label="attention")
ax.set_yscale("log")
ax.set_xlabel("sequence length T")
ax.set_ylabel("size of d output_T / d x_1")
ax.legend()
plt.show()

for num_tokens in [1_000, 2_000, 4_000, 8_000]:
    print(f"{num_tokens:5} tokens -> {num_tokens ** 2:12,} scores per head per layer")

X_batch = torch.stack([X, X.flip(0)])  # "the cat sat on the mat" and "mat the on sat cat the"
Q_batch, K_batch, V_batch = X_batch @ W_Q, X_batch @ W_K, X_batch @ W_V

#| card: shape
#| id: shape-batched
#| of: out_batch
#| dims: {Q_batch: [batch, tokens, d_k], K_batch: [batch, tokens, d_k], V_batch: [batch, tokens, d_v], out_batch: [batch, tokens, d_v]}
#| extra: Every sequence in the batch gets its own tokens × tokens attention; the batch axis is untouched.
out_batch, _ = attention(Q_batch, K_batch, V_batch)

ours, _ = attention(Q_batch, K_batch, V_batch, mask=causal_mask(len(tokens)))
torch.allclose(ours, F.scaled_dot_product_attention(Q_batch, K_batch, V_batch, is_causal=True), atol=1e-6)
