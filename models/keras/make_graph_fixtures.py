#!/usr/bin/python3
"""Writes the Keras functional-graph import fixtures of rnnx (models/keras/graph_*) with h5py and numpy only.

Like make_fixtures.py (whose layouts, writers and layer equations it reuses): no Keras here; each file is
written in the exact layout Keras writes, and its expected outputs are computed in float64 from Keras's
layer equations. Several inputs and outputs: <name>_input_<input layer>.npy and
<name>_expected_<output layer>.npy.
Run: /usr/bin/python3 models/keras/make_graph_fixtures.py   (deterministic: seeded)
"""
import io
import json
import os
import zipfile

import numpy as np

import make_fixtures as mf
from make_fixtures import act, rnn_weights, run_rnn, write_legacy_h5, write_v3_weights, zwrite

HERE = os.path.dirname(os.path.abspath(__file__))
mf.rng = np.random.default_rng(20261208)  # make_fixtures.w draws from it
w = mf.w


def save(name, inputs, outputs):
    for k, v in inputs.items():
        np.save(os.path.join(HERE, f"{name}_input_{k}.npy"), v)
    for k, v in outputs.items():
        np.save(os.path.join(HERE, f"{name}_expected_{k}.npy"), v.astype(np.float32))


def mha(q_in, v_in, q, k, v, bq, bk, bv, wo, bo):
    """Keras MultiHeadAttention(query, value) (key = value), kernels [d, heads, key_dim], output [heads, key_dim, dq]."""
    K = q.shape[2]
    Q = np.einsum("btf,fhk->bthk", q_in, q) + bq
    Kt = np.einsum("btf,fhk->bthk", v_in, k) + bk
    V = np.einsum("btf,fhk->bthk", v_in, v) + bv
    a = act("softmax", np.einsum("bqhk,bshk->bhqs", Q / np.sqrt(K), Kt))
    return np.einsum("bqhk,hkf->bqf", np.einsum("bhqs,bshk->bqhk", a, V), wo) + bo


def k2(cls, name, config, calls):
    """A Keras 2 functional layer entry; calls: the inbound node of its one call."""
    return {"name": name, "class_name": cls, "config": dict(config, name=name), "inbound_nodes": [calls] if calls else []}


def t2(layer, kwargs=None):
    return [layer, 0, 0, kwargs or {}]


def keras2_two_inputs():
    """tf.keras 2.4 functional, two inputs and two outputs: LSTM(4, seq) over a [B, Ta, 3], GRU(5, seq) over b [B, Tb, 2],
    MultiHeadAttention(2 heads, key_dim 3)(query=gru, value=lstm) (cross-attention), Add([gru, mha]) (residual),
    Concatenate([add, gru]), then GlobalAveragePooling1D -> Dense(3, softmax) and Dense(2, tanh) on every step."""
    Fa, Fb, Ha, Hb, NH, K = 3, 2, 4, 5, 2, 3
    lw, gw = rnn_weights("LSTM", Fa, Ha), rnn_weights("GRU", Fb, Hb)
    q, bq = w(Hb, NH, K), w(NH, K, scale=0.1)
    k, bk = w(Ha, NH, K), w(NH, K, scale=0.1)
    v, bv = w(Ha, NH, K), w(NH, K, scale=0.1)
    wo, bo = w(NH, K, Hb), w(Hb, scale=0.1)
    d1, b1 = w(2 * Hb, 3), w(3, scale=0.1)
    d2, b2 = w(2 * Hb, 2), w(2, scale=0.1)
    lcfg = {"units": Ha, "return_sequences": True, "recurrent_activation": "sigmoid"}
    gcfg = {"units": Hb, "return_sequences": True, "recurrent_activation": "sigmoid", "reset_after": True}
    layers = [
        k2("InputLayer", "input_a", {"batch_input_shape": [None, None, Fa], "dtype": "float32"}, None),
        k2("InputLayer", "input_b", {"batch_input_shape": [None, None, Fb], "dtype": "float32"}, None),
        k2("LSTM", "encoder", lcfg, [t2("input_a")]),
        k2("GRU", "decoder", gcfg, [t2("input_b")]),
        k2("MultiHeadAttention", "cross_attention", {"num_heads": NH, "key_dim": K, "value_dim": K, "dropout": 0.0,
           "use_bias": True, "output_shape": None, "attention_axes": None},
           [t2("decoder", {"value": ["encoder", 0, 0]})]),
        k2("Add", "residual", {}, [t2("decoder"), t2("cross_attention")]),
        k2("Concatenate", "concatenate", {"axis": -1}, [t2("residual"), t2("decoder")]),
        k2("GlobalAveragePooling1D", "pooling", {"data_format": "channels_last"}, [t2("concatenate")]),
        k2("Dropout", "dropout", {"rate": 0.2}, [t2("pooling")]),
        k2("Dense", "classes", {"units": 3, "activation": "softmax"}, [t2("dropout")]),
        k2("Dense", "per_step", {"units": 2, "activation": "tanh"}, [t2("concatenate")])]
    config = {"class_name": "Functional", "config": {"name": "two_inputs", "layers": layers,
              "input_layers": [["input_a", 0, 0], ["input_b", 0, 0]],
              "output_layers": [["classes", 0, 0], ["per_step", 0, 0]]}}
    m = "cross_attention/"
    write_legacy_h5(os.path.join(HERE, "graph_two_inputs_keras2.h5"), config, [
        ("input_a", []), ("input_b", []),
        ("encoder", [(f"encoder/lstm_cell/{n}:0", a) for n, a in zip(("kernel", "recurrent_kernel", "bias"), lw)]),
        ("decoder", [(f"decoder/gru_cell/{n}:0", a) for n, a in zip(("kernel", "recurrent_kernel", "bias"), gw)]),
        ("cross_attention", [(m + "query/kernel:0", q), (m + "query/bias:0", bq), (m + "key/kernel:0", k),
                             (m + "key/bias:0", bk), (m + "value/kernel:0", v), (m + "value/bias:0", bv),
                             (m + "attention_output/kernel:0", wo), (m + "attention_output/bias:0", bo)]),
        ("residual", []), ("concatenate", []), ("pooling", []), ("dropout", []),
        ("classes", [("classes/kernel:0", d1), ("classes/bias:0", b1)]),
        ("per_step", [("per_step/kernel:0", d2), ("per_step/bias:0", b2)])], keras_version="2.4.0")
    a = mf.rng.standard_normal((3, 6, Fa)).astype(np.float32)
    b = mf.rng.standard_normal((3, 4, Fb)).astype(np.float32)
    enc = run_rnn("LSTM", lcfg, lw, a.astype(np.float64))
    dec = run_rnn("GRU", gcfg, gw, b.astype(np.float64))
    res = dec + mha(dec, enc, q, k, v, bq, bk, bv, wo, bo)
    cat = np.concatenate([res, dec], -1)
    save("graph_two_inputs_keras2", {"input_a": a, "input_b": b},
         {"classes": act("softmax", cat.mean(1) @ d1 + b1), "per_step": np.tanh(cat @ d2 + b2)})


def keras3_residual():
    """Keras 3 .keras functional, features x [B, T, 4] and token ids [B, S] (Embedding(11, 4)): SimpleRNN(4, seq) over x,
    Add([x, rnn]) (residual), Attention()([add, embedded]) (cross, dot), Average([attention, add]),
    Multiply([average, add]), Subtract([multiply, attention]), AdditiveAttention()([subtract, embedded]) (cross),
    GlobalMaxPooling1D, Dense(2)."""
    F, V = 4, 11
    emb = w(V, F)
    rw = rnn_weights("SimpleRNN", F, F)
    scale = (1 + w(F, scale=0.3)).astype(np.float32)
    dk, db = w(F, 2), w(2, scale=0.1)
    mod = "keras.layers"

    def kt(name, shape):
        return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32", "keras_history": [name, 0, 0]}}

    def call(*args):
        return [{"args": list(args), "kwargs": {}}]

    seq = [None, None, F]
    layers = [
        {"module": mod, "class_name": "InputLayer", "name": "features", "inbound_nodes": [],
         "config": {"batch_shape": [None, None, F], "dtype": "float32", "name": "features"}},
        {"module": mod, "class_name": "InputLayer", "name": "tokens", "inbound_nodes": [],
         "config": {"batch_shape": [None, None], "dtype": "int32", "name": "tokens"}},
        {"module": mod, "class_name": "Embedding", "name": "embedding", "inbound_nodes": call(kt("tokens", [None, None])),
         "config": {"name": "embedding", "input_dim": V, "output_dim": F, "mask_zero": False}},
        {"module": mod, "class_name": "SimpleRNN", "name": "rnn", "inbound_nodes": call(kt("features", seq)),
         "config": {"name": "rnn", "units": F, "activation": "tanh", "return_sequences": True}},
        {"module": mod, "class_name": "Add", "name": "add", "inbound_nodes": call([kt("features", seq), kt("rnn", seq)]),
         "config": {"name": "add"}},
        {"module": mod, "class_name": "Attention", "name": "attention",
         "inbound_nodes": call([kt("add", seq), kt("embedding", seq)]),
         "config": {"name": "attention", "use_scale": False, "score_mode": "dot", "dropout": 0.0}},
        {"module": mod, "class_name": "Average", "name": "average",
         "inbound_nodes": call([kt("attention", seq), kt("add", seq)]), "config": {"name": "average"}},
        {"module": mod, "class_name": "Multiply", "name": "multiply",
         "inbound_nodes": call([kt("average", seq), kt("add", seq)]), "config": {"name": "multiply"}},
        {"module": mod, "class_name": "Subtract", "name": "subtract",
         "inbound_nodes": call([kt("multiply", seq), kt("attention", seq)]), "config": {"name": "subtract"}},
        {"module": mod, "class_name": "AdditiveAttention", "name": "additive_attention",
         "inbound_nodes": call([kt("subtract", seq), kt("embedding", seq)]),
         "config": {"name": "additive_attention", "use_scale": True, "dropout": 0.0}},
        {"module": mod, "class_name": "GlobalMaxPooling1D", "name": "pooling",
         "inbound_nodes": call(kt("additive_attention", seq)), "config": {"name": "pooling", "data_format": "channels_last"}},
        {"module": mod, "class_name": "Dense", "name": "dense", "inbound_nodes": call(kt("pooling", [None, F])),
         "config": {"name": "dense", "units": 2, "activation": "linear"}}]
    config = {"module": "keras", "class_name": "Functional", "config": {"name": "residual", "layers": layers,
              "input_layers": [["features", 0, 0], ["tokens", 0, 0]], "output_layers": [["dense", 0, 0]]}}
    buf = io.BytesIO()
    # Keras 3 names the weight groups by class, counting repeats in the model's layer order
    write_v3_weights(buf, [("embedding", [emb]), ("simple_rnn/cell", rw), ("additive_attention", [scale]),
                           ("dense", [dk, db])])
    with zipfile.ZipFile(os.path.join(HERE, "graph_residual_keras3.keras"), "w") as z:
        zwrite(z, "metadata.json", json.dumps({"keras_version": "3.3.3"}))
        zwrite(z, "config.json", json.dumps(config))
        zwrite(z, "model.weights.h5", buf.getvalue())
    x = mf.rng.standard_normal((3, 5, F)).astype(np.float32)
    ids = mf.rng.integers(0, V, size=(3, 7)).astype(np.int64)
    xd = x.astype(np.float64)
    e = emb.astype(np.float64)[ids]
    add = xd + run_rnn("SimpleRNN", {"return_sequences": True}, rw, xd)
    att = act("softmax", np.einsum("bqd,bkd->bqk", add, e)) @ e
    sub = (att + add) / 2 * add - att
    s = np.einsum("bqkd,d->bqk", np.tanh(sub[:, :, None, :] + e[:, None, :, :]), scale.astype(np.float64))
    y = (act("softmax", s) @ e).max(1) @ dk + db
    save("graph_residual_keras3", {"features": x, "tokens": ids}, {"dense": y})
    # the same model and weights as tf.keras 2.4 writes them (.h5, Keras 2 inbound_nodes, weights by layer name)
    l2 = [
        k2("InputLayer", "features", {"batch_input_shape": [None, None, F], "dtype": "float32"}, None),
        k2("InputLayer", "tokens", {"batch_input_shape": [None, None], "dtype": "int32"}, None),
        k2("Embedding", "embedding", {"input_dim": V, "output_dim": F, "mask_zero": False}, [t2("tokens")]),
        k2("SimpleRNN", "rnn", {"units": F, "activation": "tanh", "return_sequences": True}, [t2("features")]),
        k2("Add", "add", {}, [t2("features"), t2("rnn")]),
        k2("Attention", "attention", {"use_scale": False, "causal": False, "dropout": 0.0}, [t2("add"), t2("embedding")]),
        k2("Average", "average", {}, [t2("attention"), t2("add")]),
        k2("Multiply", "multiply", {}, [t2("average"), t2("add")]),
        k2("Subtract", "subtract", {}, [t2("multiply"), t2("attention")]),
        k2("AdditiveAttention", "additive_attention", {"use_scale": True, "causal": False, "dropout": 0.0},
           [t2("subtract"), t2("embedding")]),
        k2("GlobalMaxPooling1D", "pooling", {"data_format": "channels_last"}, [t2("additive_attention")]),
        k2("Dense", "dense", {"units": 2, "activation": "linear"}, [t2("pooling")])]
    config2 = {"class_name": "Functional", "config": {"name": "residual", "layers": l2,
               "input_layers": [["features", 0, 0], ["tokens", 0, 0]], "output_layers": [["dense", 0, 0]]}}
    write_legacy_h5(os.path.join(HERE, "graph_residual_keras2.h5"), config2, [
        ("features", []), ("tokens", []), ("embedding", [("embedding/embeddings:0", emb)]),
        ("rnn", [(f"rnn/simple_rnn_cell/{n}:0", a) for n, a in zip(("kernel", "recurrent_kernel", "bias"), rw)]),
        ("add", []), ("attention", []), ("average", []), ("multiply", []), ("subtract", []),
        ("additive_attention", [("additive_attention/scale:0", scale)]), ("pooling", []),
        ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    save("graph_residual_keras2", {"features": x, "tokens": ids}, {"dense": y})


def bad_graphs():
    """Graphs rnnx must refuse: a cycle, an unknown tensor name, an unsupported layer in a branch."""
    F = 2
    inp = k2("InputLayer", "input_1", {"batch_input_shape": [None, None, F]}, None)
    dense = k2("Dense", "dense_1", {"units": F}, [t2("input_1")])

    def model(layers, outputs):
        return {"class_name": "Functional", "config": {"name": "bad", "layers": layers, "input_layers": [["input_1", 0, 0]],
                                                       "output_layers": [[o, 0, 0] for o in outputs]}}
    dw = [("dense_1", [("dense_1/kernel:0", w(F, F)), ("dense_1/bias:0", w(F))])]
    cycle = [inp, k2("Dense", "dense_1", {"units": F}, [t2("add_1")]),
             k2("Add", "add_1", {}, [t2("input_1"), t2("dense_1")])]
    write_legacy_h5(os.path.join(HERE, "bad", "graph_cycle.h5"), model(cycle, ["add_1"]), dw, keras_version="2.4.0")
    unknown = [inp, dense, k2("Add", "add_1", {}, [t2("input_1"), t2("dense_9")])]
    write_legacy_h5(os.path.join(HERE, "bad", "graph_unknown_tensor.h5"), model(unknown, ["add_1"]), dw,
                    keras_version="2.4.0")
    branch = [inp, dense, k2("Conv1D", "conv1d", {"filters": F, "kernel_size": 3}, [t2("input_1")]),
              k2("Add", "add_1", {}, [t2("dense_1"), t2("conv1d")])]
    write_legacy_h5(os.path.join(HERE, "bad", "graph_unsupported_branch.h5"), model(branch, ["add_1"]), dw,
                    keras_version="2.4.0")


def keras2_masked_graph():
    """tf.keras 2.4 functional with masks on two inputs, steps masked mid-sequence, at both ends and in whole rows:
    features [B, T, 3] -> Masking(0) -> Dense(4, tanh) -> LSTM(5, seq) 'encoder' (reads the mask, passes it on), then
    GRU(4) 'summary' (stacked: reads the mask), Dense(2) 'per_step' on every step and Bidirectional(SimpleRNN(2), sum, seq)
    'bi'; Add([per_step, bi]) 'per_step_sum' (an output); token ids [B, S] -> Embedding(9, 3, mask_zero) ->
    Bidirectional(GRU(3)) 'tokens_summary' (last output); Concatenate([summary, tokens_summary]) -> Dense(2, softmax).
    Expected outputs from Keras's masked RNN equations (make_fixtures.run_rnn / run_bidirectional with the mask)."""
    F, D, H, G, V, E, R, Q = 3, 4, 5, 4, 9, 3, 2, 3
    dk, db = w(F, D), w(D, scale=0.1)
    lw, gw = rnn_weights("LSTM", D, H), rnn_weights("GRU", H, G)
    pk, pb = w(H, 2), w(2, scale=0.1)
    sfw, sbw = rnn_weights("SimpleRNN", H, R), rnn_weights("SimpleRNN", H, R)
    emb = w(V, E)
    tfw, tbw = rnn_weights("GRU", E, Q), rnn_weights("GRU", E, Q)
    ck, cb = w(G + 2 * Q, 2), w(2, scale=0.1)
    lcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    gcfg = {"units": G, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True}
    scfg = {"units": R, "activation": "tanh", "return_sequences": True}
    qcfg = {"units": Q, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True}
    layers = [
        k2("InputLayer", "features", {"batch_input_shape": [None, None, F], "dtype": "float32"}, None),
        k2("InputLayer", "tokens", {"batch_input_shape": [None, None], "dtype": "int32"}, None),
        k2("Masking", "masking", {"mask_value": 0.0}, [t2("features")]),
        k2("Dense", "project", {"units": D, "activation": "tanh"}, [t2("masking")]),
        k2("LSTM", "encoder", lcfg, [t2("project")]),
        k2("GRU", "summary", gcfg, [t2("encoder")]),
        k2("Dense", "per_step", {"units": 2, "activation": "linear"}, [t2("encoder")]),
        k2("Bidirectional", "bi", {"merge_mode": "sum", "layer": {"class_name": "SimpleRNN", "config": dict(scfg, name="rnn")}},
           [t2("encoder")]),
        k2("Add", "per_step_sum", {}, [t2("per_step"), t2("bi")]),
        k2("Embedding", "embedding", {"input_dim": V, "output_dim": E, "mask_zero": True}, [t2("tokens")]),
        k2("Bidirectional", "tokens_summary", {"merge_mode": "concat", "layer": {"class_name": "GRU",
           "config": dict(qcfg, name="gru")}}, [t2("embedding")]),
        k2("Concatenate", "concatenate", {"axis": -1}, [t2("summary"), t2("tokens_summary")]),
        k2("Dense", "classes", {"units": 2, "activation": "softmax"}, [t2("concatenate")])]
    config = {"class_name": "Functional", "config": {"name": "masked_graph", "layers": layers,
              "input_layers": [["features", 0, 0], ["tokens", 0, 0]],
              "output_layers": [["classes", 0, 0], ["per_step_sum", 0, 0]]}}
    cell = lambda layer, inner, ws: [(f"{layer}/{inner}/{n}:0", a) for n, a in zip(("kernel", "recurrent_kernel", "bias"), ws)]
    bi = lambda layer, inner, fw, bw: [(f"{layer}/{d}_{inner}/{n}:0", a) for d, ws in (("forward", fw), ("backward", bw))
                                       for n, a in zip(("kernel", "recurrent_kernel", "bias"), ws)]
    write_legacy_h5(os.path.join(HERE, "graph_masking_keras2.h5"), config, [
        ("features", []), ("tokens", []), ("masking", []),
        ("project", [("project/kernel:0", dk), ("project/bias:0", db)]),
        ("encoder", cell("encoder", "lstm_cell", lw)), ("summary", cell("summary", "gru_cell", gw)),
        ("per_step", [("per_step/kernel:0", pk), ("per_step/bias:0", pb)]), ("bi", bi("bi", "rnn", sfw, sbw)),
        ("per_step_sum", []), ("embedding", [("embedding/embeddings:0", emb)]),
        ("tokens_summary", bi("tokens_summary", "gru", tfw, tbw)), ("concatenate", []),
        ("classes", [("classes/kernel:0", ck), ("classes/bias:0", cb)])], keras_version="2.4.0")
    x, m = mf.masked_inputs(5, 7, F, 0.0)
    ids = mf.rng.integers(1, V, size=(5, 6)).astype(np.int64)
    ids[0, 2] = 0; ids[0, 3] = 0; ids[1, 0] = 0; ids[2, 5] = 0; ids[3, :] = 0
    enc = run_rnn("LSTM", lcfg, lw, np.tanh(x.astype(np.float64) @ dk + db), mask=m)
    summary = run_rnn("GRU", gcfg, gw, enc, mask=m)
    per_step_sum = enc @ pk + pb + mf.run_bidirectional("SimpleRNN", scfg, sfw, sbw, enc, "sum", mask=m)
    tsum = mf.run_bidirectional("GRU", qcfg, tfw, tbw, emb.astype(np.float64)[ids], "concat", mask=ids != 0)
    classes = act("softmax", np.concatenate([summary, tsum], -1) @ ck + cb)
    save("graph_masking_keras2", {"features": x, "tokens": ids}, {"classes": classes, "per_step_sum": per_step_sum})


def keras3_masked_graph():
    """Keras 3 .keras functional, one input masked by -1.0 read by two recurrent layers: Masking(-1) ->
    GRU(4, go_backwards, seq) 'back' -> Dense(2) 'back_dense' (an output: Keras's processing order, entry j the state at
    the first unmasked step at or after T-1-j); Masking -> Bidirectional(LSTM(3), concat, seq) 'bi' (zeros at masked
    steps) -> GRU(3) 'last' (stacked: reads the mask, an output)."""
    F, B4, L3, G3 = 3, 4, 3, 3
    mod = "keras.layers"
    bw_ = rnn_weights("GRU", F, B4)
    dk, db = w(B4, 2), w(2, scale=0.1)
    lfw, lbw = rnn_weights("LSTM", F, L3), rnn_weights("LSTM", F, L3)
    gw = rnn_weights("GRU", 2 * L3, G3)
    seq = [None, None, F]

    def kt(name, shape):
        return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32", "keras_history": [name, 0, 0]}}

    def call(*args):
        return [{"args": list(args), "kwargs": {}}]

    gcfg = {"units": B4, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True,
            "go_backwards": True, "reset_after": True}
    lcfg = {"units": L3, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    last = {"units": G3, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True}
    layers = [
        {"module": mod, "class_name": "InputLayer", "name": "signal", "inbound_nodes": [],
         "config": {"batch_shape": seq, "dtype": "float32", "name": "signal"}},
        {"module": mod, "class_name": "Masking", "name": "masking", "inbound_nodes": call(kt("signal", seq)),
         "config": {"name": "masking", "mask_value": -1.0}},
        {"module": mod, "class_name": "GRU", "name": "back", "inbound_nodes": call(kt("masking", seq)),
         "config": dict(gcfg, name="back")},
        {"module": mod, "class_name": "Dense", "name": "back_dense", "inbound_nodes": call(kt("back", [None, None, B4])),
         "config": {"name": "back_dense", "units": 2, "activation": "linear"}},
        {"module": mod, "class_name": "Bidirectional", "name": "bi", "inbound_nodes": call(kt("masking", seq)),
         "config": {"name": "bi", "merge_mode": "concat",
                    "layer": {"module": mod, "class_name": "LSTM", "config": dict(lcfg, name="forward_lstm")},
                    "backward_layer": {"module": mod, "class_name": "LSTM",
                                       "config": dict(lcfg, name="backward_lstm", go_backwards=True)}}},
        {"module": mod, "class_name": "GRU", "name": "last", "inbound_nodes": call(kt("bi", [None, None, 2 * L3])),
         "config": dict(last, name="last")}]
    config = {"module": "keras", "class_name": "Functional", "config": {"name": "masked_two_readers", "layers": layers,
              "input_layers": [["signal", 0, 0]], "output_layers": [["back_dense", 0, 0], ["last", 0, 0]]}}
    buf = io.BytesIO()
    write_v3_weights(buf, [("gru/cell", bw_), ("dense", [dk, db]), ("bidirectional/forward_layer/cell", lfw),
                           ("bidirectional/backward_layer/cell", lbw), ("gru_1/cell", gw)])
    with zipfile.ZipFile(os.path.join(HERE, "graph_masking_keras3.keras"), "w") as z:
        zwrite(z, "metadata.json", json.dumps({"keras_version": "3.3.3"}))
        zwrite(z, "config.json", json.dumps(config))
        zwrite(z, "model.weights.h5", buf.getvalue())
    x, m = mf.masked_inputs(5, 8, F, -1.0)
    xd = x.astype(np.float64) * m[:, :, None]  # Keras's Masking outputs zeros at masked steps (the RNNs skip them)
    back = run_rnn("GRU", gcfg, bw_, xd, keras3=True, mask=m) @ dk + db
    bi = mf.run_bidirectional("LSTM", lcfg, lfw, lbw, xd, "concat", mask=m, keras3=True)
    save("graph_masking_keras3", {"signal": x}, {"back_dense": back, "last": run_rnn("GRU", last, gw, bi, keras3=True, mask=m)})


def keras2_activation_graph():
    """tf.keras 2.4 functional with Activation layers: LSTM(4) 'enc' -> Dense(3) 'logits' -> Activation(softmax) 'probs'
    (an output: the folded node takes its name); TimeDistributed(Dense(2)) 'td' -> Dropout -> Activation(tanh) 'td_act' ->
    GlobalAveragePooling1D -> Dense(2) 'pooled' (an output)."""
    F, H = 3, 4
    lw = rnn_weights("LSTM", F, H)
    lk, lb = w(H, 3), w(3, scale=0.1)
    tk, tb = w(F, 2), w(2, scale=0.1)
    pk, pb = w(2, 2), w(2, scale=0.1)
    lcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False}
    layers = [
        k2("InputLayer", "a", {"batch_input_shape": [None, None, F], "dtype": "float32"}, None),
        k2("LSTM", "enc", lcfg, [t2("a")]),
        k2("Dense", "logits", {"units": 3, "activation": "linear"}, [t2("enc")]),
        k2("Activation", "probs", {"activation": "softmax"}, [t2("logits")]),
        k2("TimeDistributed", "td", {"layer": {"class_name": "Dense", "config": {"name": "dense", "units": 2,
                                                                              "activation": "linear"}}}, [t2("a")]),
        k2("Dropout", "drop", {"rate": 0.3}, [t2("td")]),
        k2("Activation", "td_act", {"activation": "tanh"}, [t2("drop")]),
        k2("GlobalAveragePooling1D", "pool", {"data_format": "channels_last"}, [t2("td_act")]),
        k2("Dense", "pooled", {"units": 2, "activation": "linear"}, [t2("pool")])]
    config = {"class_name": "Functional", "config": {"name": "activations", "layers": layers,
              "input_layers": [["a", 0, 0]], "output_layers": [["probs", 0, 0], ["pooled", 0, 0]]}}
    write_legacy_h5(os.path.join(HERE, "graph_activation_keras2.h5"), config, [
        ("a", []), ("enc", [(f"enc/lstm_cell/{n}:0", x) for n, x in zip(("kernel", "recurrent_kernel", "bias"), lw)]),
        ("logits", [("logits/kernel:0", lk), ("logits/bias:0", lb)]), ("probs", []),
        ("td", [("td/kernel:0", tk), ("td/bias:0", tb)]), ("drop", []), ("td_act", []), ("pool", []),
        ("pooled", [("pooled/kernel:0", pk), ("pooled/bias:0", pb)])], keras_version="2.4.0")
    x = mf.rng.standard_normal((3, 5, F)).astype(np.float32)
    xd = x.astype(np.float64)
    probs = act("softmax", run_rnn("LSTM", lcfg, lw, xd) @ lk + lb)
    pooled = np.tanh(xd @ tk + tb).mean(1) @ pk + pb
    save("graph_activation_keras2", {"a": x}, {"probs": probs, "pooled": pooled})
    # refused: an Activation after a Dense that another layer also reads
    shared = [layers[0], k2("Dense", "dense_1", {"units": F, "activation": "linear"}, [t2("a")]),
              k2("Activation", "act", {"activation": "relu"}, [t2("dense_1")]),
              k2("Add", "add_1", {}, [t2("dense_1"), t2("act")])]
    write_legacy_h5(os.path.join(HERE, "bad", "graph_activation_shared.h5"), {"class_name": "Functional", "config": {
        "name": "bad", "layers": shared, "input_layers": [["a", 0, 0]], "output_layers": [["add_1", 0, 0]]}},
        [("a", []), ("dense_1", [("dense_1/kernel:0", w(F, F)), ("dense_1/bias:0", w(F))]), ("act", []), ("add_1", [])],
        keras_version="2.4.0")


def keras2_flatten_graph():
    """tf.keras 2.4 functional: a [None, 6, 3] -> LSTM(4, seq) -> Flatten -> Dense(2) 'out' (an output); b [None, None, 2]
    (any length) -> GRU(3) 'summary'; Concatenate([out, summary]) -> Dense(2) 'head' (an output)."""
    F, T, H, G = 3, 6, 4, 3
    lw, gw = rnn_weights("LSTM", F, H), rnn_weights("GRU", 2, G)
    ok, ob = w(T * H, 2), w(2, scale=0.1)
    hk, hb = w(2 + G, 2), w(2, scale=0.1)
    lcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    gcfg = {"units": G, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True}
    layers = [
        k2("InputLayer", "a", {"batch_input_shape": [None, T, F], "dtype": "float32"}, None),
        k2("InputLayer", "b", {"batch_input_shape": [None, None, 2], "dtype": "float32"}, None),
        k2("LSTM", "enc", lcfg, [t2("a")]),
        k2("Flatten", "flat", {"data_format": "channels_last"}, [t2("enc")]),
        k2("Dense", "out", {"units": 2, "activation": "linear"}, [t2("flat")]),
        k2("GRU", "summary", gcfg, [t2("b")]),
        k2("Concatenate", "cat", {"axis": -1}, [t2("out"), t2("summary")]),
        k2("Dense", "head", {"units": 2, "activation": "tanh"}, [t2("cat")])]
    config = {"class_name": "Functional", "config": {"name": "flattened", "layers": layers,
              "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["head", 0, 0], ["out", 0, 0]]}}
    cell = lambda layer, inner, ws: [(f"{layer}/{inner}/{n}:0", x) for n, x in zip(("kernel", "recurrent_kernel", "bias"), ws)]
    write_legacy_h5(os.path.join(HERE, "graph_flatten_keras2.h5"), config, [
        ("a", []), ("b", []), ("enc", cell("enc", "lstm_cell", lw)), ("flat", []), ("out", [("out/kernel:0", ok), ("out/bias:0", ob)]),
        ("summary", cell("summary", "gru_cell", gw)), ("cat", []), ("head", [("head/kernel:0", hk), ("head/bias:0", hb)])],
        keras_version="2.4.0")
    a = mf.rng.standard_normal((3, T, F)).astype(np.float32)
    b = mf.rng.standard_normal((3, 9, 2)).astype(np.float32)
    out = run_rnn("LSTM", lcfg, lw, a.astype(np.float64)).reshape(3, T * H) @ ok + ob
    head = np.tanh(np.concatenate([out, run_rnn("GRU", gcfg, gw, b.astype(np.float64))], -1) @ hk + hb)
    save("graph_flatten_keras2", {"a": a, "b": b}, {"head": head, "out": out})


def keras2_shared_graph():
    """tf.keras 2.4 functional Siamese model: inputs a and b [None, None, 3], each read by the same layers (each called twice:
    inbound_nodes holds two calls, the second call's tensors are ['layer', 1, 0]): LSTM(4, seq) 'encoder' ->
    Bidirectional(GRU(3)) 'summary' -> Dense(2, tanh) 'proj'; Subtract([proj(a), proj(b)]) -> Dense(1) 'score', and
    proj(b) as a second output."""
    F, H, G = 3, 4, 3
    lw = rnn_weights("LSTM", F, H)
    gfw, gbw = rnn_weights("GRU", H, G), rnn_weights("GRU", H, G)
    pk, pb = w(2 * G, 2), w(2, scale=0.1)
    sk, sb = w(2, 1), w(1, scale=0.1)
    lcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    gcfg = {"units": G, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True}

    def twice(cls, name, config, first, second):
        return {"name": name, "class_name": cls, "config": dict(config, name=name),
                "inbound_nodes": [[[first[0], first[1], 0, {}]], [[second[0], second[1], 0, {}]]]}
    layers = [
        k2("InputLayer", "a", {"batch_input_shape": [None, None, F], "dtype": "float32"}, None),
        k2("InputLayer", "b", {"batch_input_shape": [None, None, F], "dtype": "float32"}, None),
        twice("LSTM", "encoder", lcfg, ("a", 0), ("b", 0)),
        twice("Bidirectional", "summary", {"merge_mode": "concat", "layer": {"class_name": "GRU",
              "config": dict(gcfg, name="gru")}}, ("encoder", 0), ("encoder", 1)),
        twice("Dense", "proj", {"units": 2, "activation": "tanh"}, ("summary", 0), ("summary", 1)),
        {"name": "diff", "class_name": "Subtract", "config": {"name": "diff"},
         "inbound_nodes": [[["proj", 0, 0, {}], ["proj", 1, 0, {}]]]},
        k2("Dense", "score", {"units": 1, "activation": "linear"}, [t2("diff")])]
    config = {"class_name": "Functional", "config": {"name": "siamese", "layers": layers,
              "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["score", 0, 0], ["proj", 1, 0]]}}
    write_legacy_h5(os.path.join(HERE, "graph_shared_keras2.h5"), config, [
        ("a", []), ("b", []),
        ("encoder", [(f"encoder/lstm_cell/{n}:0", x) for n, x in zip(("kernel", "recurrent_kernel", "bias"), lw)]),
        ("summary", [(f"summary/{d}_gru/{n}:0", x) for d, ws in (("forward", gfw), ("backward", gbw))
                     for n, x in zip(("kernel", "recurrent_kernel", "bias"), ws)]),
        ("proj", [("proj/kernel:0", pk), ("proj/bias:0", pb)]), ("diff", []),
        ("score", [("score/kernel:0", sk), ("score/bias:0", sb)])], keras_version="2.4.0")
    a = mf.rng.standard_normal((3, 5, F)).astype(np.float32)
    b = mf.rng.standard_normal((3, 5, F)).astype(np.float32)

    def branch(x):
        enc = run_rnn("LSTM", lcfg, lw, x.astype(np.float64))
        return np.tanh(mf.run_bidirectional("GRU", gcfg, gfw, gbw, enc, "concat") @ pk + pb)
    pa, pb_ = branch(a), branch(b)
    save("graph_shared_keras2", {"a": a, "b": b}, {"score": (pa - pb_) @ sk + sb, "proj_call2": pb_})


def keras2_masked_shared_graph():
    """tf.keras 2.4 functional: inputs a and b [None, None, 3], each behind its own Masking(0), read by one shared GRU(4)
    'encoder' (called twice, each call reading its own input's mask); Subtract -> Dense(2) 'score'."""
    F, H = 3, 4
    gw = rnn_weights("GRU", F, H)
    sk, sb = w(H, 2), w(2, scale=0.1)
    gcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True}
    layers = [
        k2("InputLayer", "a", {"batch_input_shape": [None, None, F], "dtype": "float32"}, None),
        k2("InputLayer", "b", {"batch_input_shape": [None, None, F], "dtype": "float32"}, None),
        k2("Masking", "mask_a", {"mask_value": 0.0}, [t2("a")]),
        k2("Masking", "mask_b", {"mask_value": 0.0}, [t2("b")]),
        {"name": "encoder", "class_name": "GRU", "config": dict(gcfg, name="encoder"),
         "inbound_nodes": [[["mask_a", 0, 0, {}]], [["mask_b", 0, 0, {}]]]},
        {"name": "diff", "class_name": "Subtract", "config": {"name": "diff"},
         "inbound_nodes": [[["encoder", 0, 0, {}], ["encoder", 1, 0, {}]]]},
        k2("Dense", "score", {"units": 2, "activation": "linear"}, [t2("diff")])]
    config = {"class_name": "Functional", "config": {"name": "masked_siamese", "layers": layers,
              "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["score", 0, 0]]}}
    write_legacy_h5(os.path.join(HERE, "graph_masked_shared_keras2.h5"), config, [
        ("a", []), ("b", []), ("mask_a", []), ("mask_b", []),
        ("encoder", [(f"encoder/gru_cell/{n}:0", x) for n, x in zip(("kernel", "recurrent_kernel", "bias"), gw)]),
        ("diff", []), ("score", [("score/kernel:0", sk), ("score/bias:0", sb)])], keras_version="2.4.0")
    a, ma = mf.masked_inputs(5, 6, F, 0.0)
    b, mb = mf.masked_inputs(5, 6, F, 0.0)
    b = b[::-1].copy(); mb = mb[::-1].copy()  # other rows masked in b than in a (row 0 of b masked everywhere)
    ea = run_rnn("GRU", gcfg, gw, a.astype(np.float64), mask=ma)
    eb = run_rnn("GRU", gcfg, gw, b.astype(np.float64), mask=mb)
    save("graph_masked_shared_keras2", {"a": a, "b": b}, {"score": (ea - eb) @ sk + sb})


def bad_masked_graphs():
    """Masked graphs rnnx must refuse: a pooling layer reading the mask an LSTM passes on; an LSTM reading a merge of two
    inputs' masks."""
    F = 2
    inputs = [k2("InputLayer", n, {"batch_input_shape": [None, None, F]}, None) for n in ("input_1", "input_2")]
    lw = rnn_weights("LSTM", F, 3)
    lcfg = {"units": 3, "return_sequences": True, "recurrent_activation": "sigmoid"}
    cell = [(f"lstm_1/lstm_cell/{n}:0", a) for n, a in zip(("kernel", "recurrent_kernel", "bias"), lw)]

    def model(layers, ins, out):
        return {"class_name": "Functional", "config": {"name": "bad", "layers": layers, "input_layers": [[i, 0, 0] for i in ins],
                                                       "output_layers": [[out, 0, 0]]}}
    pooled = [inputs[0], k2("Masking", "masking_1", {"mask_value": 0.0}, [t2("input_1")]),
              k2("LSTM", "lstm_1", dict(lcfg, go_backwards=True), [t2("masking_1")]),  # its reversed sequence, the mask unreversed
              k2("GlobalAveragePooling1D", "pool", {"data_format": "channels_last"}, [t2("lstm_1")])]
    write_legacy_h5(os.path.join(HERE, "bad", "graph_mask_pooling.h5"), model(pooled, ["input_1"], "pool"),
                    [("input_1", []), ("masking_1", []), ("lstm_1", cell), ("pool", [])], keras_version="2.4.0")
    merged = inputs + [k2("Masking", "masking_1", {"mask_value": 0.0}, [t2("input_1")]),
                       k2("Masking", "masking_2", {"mask_value": 0.0}, [t2("input_2")]),
                       k2("Add", "add_1", {}, [t2("masking_1"), t2("masking_2")]),
                       k2("LSTM", "lstm_1", dict(lcfg, return_sequences=False), [t2("add_1")])]
    write_legacy_h5(os.path.join(HERE, "bad", "graph_mask_merge.h5"), model(merged, ["input_1", "input_2"], "lstm_1"),
                    [("input_1", []), ("input_2", []), ("masking_1", []), ("masking_2", []), ("add_1", []), ("lstm_1", cell)],
                    keras_version="2.4.0")


def bi_none_weights(layer, inner, fw, bw):
    return [(f"{layer}/{d}_{inner}/{n}:0", a) for d, ws in (("forward", fw), ("backward", bw))
            for n, a in zip(("kernel", "recurrent_kernel", "bias"), ws)]


def keras2_bidirectional_none_graph():
    """tf.keras 2.4 functional: x [None, None, 3] -> Bidirectional(LSTM(3, seq), merge_mode=None) 'bi' (two outputs,
    ['bi', 0, 0] forward and ['bi', 0, 1] backward, in time order); Dense(2, tanh) 'fwd_dense' on the forward output;
    Concatenate([backward, forward]) 'swapped' -> GlobalAveragePooling1D 'pool'; outputs fwd_dense, pool and the backward
    output itself (rnnx names it bi_backward)."""
    F, H = 3, 3
    fw, bw = rnn_weights("LSTM", F, H), rnn_weights("LSTM", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    lcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    layers = [
        k2("InputLayer", "x", {"batch_input_shape": [None, None, F], "dtype": "float32"}, None),
        k2("Bidirectional", "bi", {"merge_mode": None, "layer": {"class_name": "LSTM", "config": dict(lcfg, name="lstm")}},
           [t2("x")]),
        k2("Dense", "fwd_dense", {"units": 2, "activation": "tanh"}, [["bi", 0, 0, {}]]),
        k2("Concatenate", "swapped", {"axis": -1}, [["bi", 0, 1, {}], ["bi", 0, 0, {}]]),
        k2("GlobalAveragePooling1D", "pool", {"data_format": "channels_last"}, [t2("swapped")])]
    config = {"class_name": "Functional", "config": {"name": "bi_none", "layers": layers, "input_layers": [["x", 0, 0]],
              "output_layers": [["fwd_dense", 0, 0], ["pool", 0, 0], ["bi", 0, 1]]}}
    write_legacy_h5(os.path.join(HERE, "graph_bidirectional_none_keras2.h5"), config, [
        ("x", []), ("bi", bi_none_weights("bi", "lstm", fw, bw)),
        ("fwd_dense", [("fwd_dense/kernel:0", dk), ("fwd_dense/bias:0", db)]), ("swapped", []), ("pool", [])],
        keras_version="2.4.0")
    x = mf.rng.standard_normal((3, 6, F)).astype(np.float32)
    both = mf.run_bidirectional("LSTM", lcfg, fw, bw, x.astype(np.float64), "concat")
    y, y_rev = both[..., :H], both[..., H:]
    save("graph_bidirectional_none_keras2", {"x": x}, {"fwd_dense": np.tanh(y @ dk + db),
         "pool": np.concatenate([y_rev, y], -1).mean(axis=1), "bi_backward": y_rev})


def keras2_masked_bidirectional_none_graph():
    """tf.keras 2.4 functional, masked: x [None, None, 3] -> Masking(0) -> Bidirectional(GRU(3, go_backwards=True),
    merge_mode=None) 'bi' (last outputs: the wrapped layer reads backwards, its copy forwards); Concatenate([backward,
    forward]) -> Dense(2) 'head'; outputs head and the forward output (rnnx names it bi_forward)."""
    F, H = 3, 3
    fw, bw = rnn_weights("GRU", F, H), rnn_weights("GRU", F, H)
    dk, db = w(2 * H, 2), w(2, scale=0.1)
    gcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False,
            "reset_after": True, "go_backwards": True}
    layers = [
        k2("InputLayer", "x", {"batch_input_shape": [None, None, F], "dtype": "float32"}, None),
        k2("Masking", "masking", {"mask_value": 0.0}, [t2("x")]),
        k2("Bidirectional", "bi", {"merge_mode": None, "layer": {"class_name": "GRU", "config": dict(gcfg, name="gru")}},
           [t2("masking")]),
        k2("Concatenate", "swapped", {"axis": -1}, [["bi", 0, 1, {}], ["bi", 0, 0, {}]]),
        k2("Dense", "head", {"units": 2, "activation": "linear"}, [t2("swapped")])]
    config = {"class_name": "Functional", "config": {"name": "masked_bi_none", "layers": layers,
              "input_layers": [["x", 0, 0]], "output_layers": [["head", 0, 0], ["bi", 0, 0]]}}
    write_legacy_h5(os.path.join(HERE, "graph_masked_bidirectional_none_keras2.h5"), config, [
        ("x", []), ("masking", []), ("bi", bi_none_weights("bi", "gru", fw, bw)), ("swapped", []),
        ("head", [("head/kernel:0", dk), ("head/bias:0", db)])], keras_version="2.4.0")
    x, m = mf.masked_inputs(5, 7, F, 0.0)
    both = mf.run_bidirectional("GRU", gcfg, fw, bw, x.astype(np.float64), "concat", mask=m)
    y, y_rev = both[..., :H], both[..., H:]
    save("graph_masked_bidirectional_none_keras2", {"x": x},
         {"head": np.concatenate([y_rev, y], -1) @ dk + db, "bi_forward": y})


def mha_h5(m, q, bq, k, bk, v, bv, wo, bo):
    """A MultiHeadAttention layer's legacy h5 weights under the prefix m ('cross/')."""
    return [(m + "query/kernel:0", q), (m + "query/bias:0", bq), (m + "key/kernel:0", k), (m + "key/bias:0", bk),
            (m + "value/kernel:0", v), (m + "value/bias:0", bv), (m + "attention_output/kernel:0", wo),
            (m + "attention_output/bias:0", bo)]


def keras2_attention_key_graph():
    """tf.keras 2.4 functional with separate attention keys: inputs a [None, None, 2] and b [None, None, 3];
    LSTM(4, seq) 'encoder' over a, GRU(3, seq) 'decoder' over b; Dense(5) 'key_proj' and Dense(3) 'att_key' on the
    encoder's steps; MultiHeadAttention(2 heads, key_dim 3)(query=decoder, value=encoder, key=key_proj) 'cross'
    (Keras 2's call record: kwargs key before value); Attention()([decoder, encoder, att_key]) 'dot' (scores
    decoder · att_key, weights over the encoder's steps); outputs cross and dot."""
    Fa, Fb, H, G, NH, K, DK = 2, 3, 4, 3, 2, 3, 5
    lw, gw = rnn_weights("LSTM", Fa, H), rnn_weights("GRU", Fb, G)
    pk, pb = w(H, DK), w(DK, scale=0.1)
    ak, ab = w(H, G), w(G, scale=0.1)
    q, bq = w(G, NH, K), w(NH, K, scale=0.1)
    k, bk = w(DK, NH, K), w(NH, K, scale=0.1)
    v, bv = w(H, NH, K), w(NH, K, scale=0.1)
    wo, bo = w(NH, K, G), w(G, scale=0.1)
    lcfg = {"units": H, "return_sequences": True, "recurrent_activation": "sigmoid"}
    gcfg = {"units": G, "return_sequences": True, "recurrent_activation": "sigmoid", "reset_after": True}
    layers = [
        k2("InputLayer", "a", {"batch_input_shape": [None, None, Fa], "dtype": "float32"}, None),
        k2("InputLayer", "b", {"batch_input_shape": [None, None, Fb], "dtype": "float32"}, None),
        k2("LSTM", "encoder", lcfg, [t2("a")]),
        k2("GRU", "decoder", gcfg, [t2("b")]),
        k2("Dense", "key_proj", {"units": DK, "activation": "linear"}, [t2("encoder")]),
        k2("Dense", "att_key", {"units": G, "activation": "linear"}, [t2("encoder")]),
        k2("MultiHeadAttention", "cross", {"num_heads": NH, "key_dim": K, "value_dim": K, "dropout": 0.0, "use_bias": True,
           "output_shape": None, "attention_axes": None},
           [t2("decoder", {"key": ["key_proj", 0, 0], "value": ["encoder", 0, 0]})]),
        k2("Attention", "dot", {"use_scale": False, "causal": False, "dropout": 0.0},
           [t2("decoder"), t2("encoder"), t2("att_key")])]
    config = {"class_name": "Functional", "config": {"name": "keyed", "layers": layers,
              "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["cross", 0, 0], ["dot", 0, 0]]}}
    m = "cross/"
    write_legacy_h5(os.path.join(HERE, "graph_attention_key_keras2.h5"), config, [
        ("a", []), ("b", []),
        ("encoder", [(f"encoder/lstm_cell/{n}:0", x) for n, x in zip(("kernel", "recurrent_kernel", "bias"), lw)]),
        ("decoder", [(f"decoder/gru_cell/{n}:0", x) for n, x in zip(("kernel", "recurrent_kernel", "bias"), gw)]),
        ("key_proj", [("key_proj/kernel:0", pk), ("key_proj/bias:0", pb)]),
        ("att_key", [("att_key/kernel:0", ak), ("att_key/bias:0", ab)]),
        ("cross", mha_h5(m, q, bq, k, bk, v, bv, wo, bo)),
        ("dot", [])], keras_version="2.4.0")
    a = mf.rng.standard_normal((3, 6, Fa)).astype(np.float32)
    b = mf.rng.standard_normal((3, 4, Fb)).astype(np.float32)
    enc = run_rnn("LSTM", lcfg, lw, a.astype(np.float64))
    dec = run_rnn("GRU", gcfg, gw, b.astype(np.float64))
    keys, att_keys = enc @ pk + pb, enc @ ak + ab
    # Keras MultiHeadAttention: query from the query, key from the key, value from the value
    Q = np.einsum("btf,fhk->bthk", dec, q) + bq
    Kt = np.einsum("btf,fhk->bthk", keys, k) + bk
    V = np.einsum("btf,fhk->bthk", enc, v) + bv
    alpha = act("softmax", np.einsum("bqhk,bshk->bhqs", Q / np.sqrt(K), Kt))
    cross = np.einsum("bqhk,hkf->bqf", np.einsum("bhqs,bshk->bqhk", alpha, V), wo) + bo
    # Keras Attention([query, value, key]): softmax(query · keyᵀ) · value
    dot = act("softmax", dec @ att_keys.transpose(0, 2, 1)) @ enc
    save("graph_attention_key_keras2", {"a": a, "b": b}, {"cross": cross, "dot": dot})


def keras2_causal_cross_graph():
    """tf.keras 2.11 functional, causal cross-attention: inputs a [None, None, 2] (6 steps) and b [None, None, 3]
    (4 steps); LSTM(4, seq) 'encoder' over a, GRU(4, seq) 'decoder' over b; MultiHeadAttention(2 heads, key_dim 2)
    (query=decoder, value=encoder, use_causal_mask=True) 'cross' and Attention(causal=True)([decoder, encoder]) 'dot'.
    Keras's causal mask of query i over key j is the [Tq, Tk] lower triangle j <= i
    (MultiHeadAttention._compute_causal_mask, Attention._lower_triangular_mask)."""
    Fa, Fb, H, NH, K = 2, 3, 4, 2, 2
    lw, gw = rnn_weights("LSTM", Fa, H), rnn_weights("GRU", Fb, H)
    q, bq = w(H, NH, K), w(NH, K, scale=0.1)
    k, bk = w(H, NH, K), w(NH, K, scale=0.1)
    v, bv = w(H, NH, K), w(NH, K, scale=0.1)
    wo, bo = w(NH, K, H), w(H, scale=0.1)
    lcfg = {"units": H, "return_sequences": True, "recurrent_activation": "sigmoid"}
    gcfg = {"units": H, "return_sequences": True, "recurrent_activation": "sigmoid", "reset_after": True}
    layers = [
        k2("InputLayer", "a", {"batch_input_shape": [None, None, Fa], "dtype": "float32"}, None),
        k2("InputLayer", "b", {"batch_input_shape": [None, None, Fb], "dtype": "float32"}, None),
        k2("LSTM", "encoder", lcfg, [t2("a")]),
        k2("GRU", "decoder", gcfg, [t2("b")]),
        k2("MultiHeadAttention", "cross", {"num_heads": NH, "key_dim": K, "value_dim": K, "dropout": 0.0, "use_bias": True,
           "output_shape": None, "attention_axes": None},
           [t2("decoder", {"value": ["encoder", 0, 0], "use_causal_mask": True})]),
        k2("Attention", "dot", {"use_scale": False, "causal": True, "dropout": 0.0}, [t2("decoder"), t2("encoder")])]
    config = {"class_name": "Functional", "config": {"name": "causal_cross", "layers": layers,
              "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["cross", 0, 0], ["dot", 0, 0]]}}
    m = "cross/"
    write_legacy_h5(os.path.join(HERE, "graph_causal_cross_keras2.h5"), config, [
        ("a", []), ("b", []),
        ("encoder", [(f"encoder/lstm_cell/{n}:0", x) for n, x in zip(("kernel", "recurrent_kernel", "bias"), lw)]),
        ("decoder", [(f"decoder/gru_cell/{n}:0", x) for n, x in zip(("kernel", "recurrent_kernel", "bias"), gw)]),
        ("cross", mha_h5(m, q, bq, k, bk, v, bv, wo, bo)),
        ("dot", [])], keras_version="2.11.0")
    a = mf.rng.standard_normal((3, 6, Fa)).astype(np.float32)
    b = mf.rng.standard_normal((3, 4, Fb)).astype(np.float32)
    enc = run_rnn("LSTM", lcfg, lw, a.astype(np.float64))
    dec = run_rnn("GRU", gcfg, gw, b.astype(np.float64))
    tq, tk = dec.shape[1], enc.shape[1]
    future = np.arange(tk)[None, :] > np.arange(tq)[:, None]  # [Tq, Tk]: key j after query i
    Q = np.einsum("btf,fhk->bthk", dec, q) + bq
    Kt = np.einsum("btf,fhk->bthk", enc, k) + bk
    V = np.einsum("btf,fhk->bthk", enc, v) + bv
    s = np.einsum("bqhk,bshk->bhqs", Q / np.sqrt(K), Kt)
    alpha = act("softmax", np.where(future[None, None], -np.inf, s))
    cross = np.einsum("bqhk,hkf->bqf", np.einsum("bhqs,bshk->bqhk", alpha, V), wo) + bo
    dot = act("softmax", np.where(future[None], -np.inf, dec @ enc.transpose(0, 2, 1))) @ enc
    save("graph_causal_cross_keras2", {"a": a, "b": b}, {"cross": cross, "dot": dot})


def cell_weights(layer, cell, ws):
    return [(f"{layer}/{cell}/{n}:0", x) for n, x in zip(("kernel", "recurrent_kernel", "bias"), ws)]


def keras2_nested_sequential():
    """tf.keras 2.4 Sequential whose first layer is a Sequential model 'encoder' (InputLayer [None, None, 3],
    LSTM(4, seq) 'lstm', GRU(3) 'gru'), then Dense(2) 'dense'. Keras 2 saves a nested model as one layer: the group
    model_weights/encoder lists every weight of its layers in weight_names (lstm/lstm_cell/kernel:0, ...,
    gru/gru_cell/bias:0), trainable weights first (all of these are)."""
    F, H, G = 3, 4, 3
    lw, gw = rnn_weights("LSTM", F, H), rnn_weights("GRU", H, G)
    dk, db = w(G, 2), w(2, scale=0.1)
    lcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    gcfg = {"units": G, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True}
    encoder = {"class_name": "Sequential", "config": {"name": "encoder", "layers": [
        {"class_name": "InputLayer", "config": {"name": "encoder_input", "batch_input_shape": [None, None, F], "dtype": "float32"}},
        {"class_name": "LSTM", "config": dict(lcfg, name="lstm")},
        {"class_name": "GRU", "config": dict(gcfg, name="gru")}]}}
    config = {"class_name": "Sequential", "config": {"name": "outer", "layers": [
        encoder, {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "linear"}}]}}
    write_legacy_h5(os.path.join(HERE, "nested_sequential_keras2.h5"), config, [
        ("encoder", cell_weights("lstm", "lstm_cell", lw) + cell_weights("gru", "gru_cell", gw)),
        ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    x = mf.rng.standard_normal((3, 5, F)).astype(np.float32)
    y = run_rnn("GRU", gcfg, gw, run_rnn("LSTM", lcfg, lw, x.astype(np.float64))) @ dk + db
    np.save(os.path.join(HERE, "nested_sequential_keras2_input.npy"), x)
    np.save(os.path.join(HERE, "nested_sequential_keras2_expected.npy"), y.astype(np.float32))


def keras2_nested_graph():
    """tf.keras 2.4 functional with a nested Sequential model: inputs a [None, None, 3], b [None, None, 2]; Sequential
    'encoder' (InputLayer, GRU(4, seq) 'enc_gru', Dense(4, tanh) 'enc_proj') called on a; LSTM(4, seq) 'decoder' on b;
    MultiHeadAttention(2 heads, key_dim 2)(decoder, encoder) 'cross' -> GlobalAveragePooling1D 'pool'; outputs pool and
    the encoder's output (rnnx names it after the nested model's last layer, enc_proj)."""
    Fa, Fb, H, NH, K = 3, 2, 4, 2, 2
    gw, lw = rnn_weights("GRU", Fa, H), rnn_weights("LSTM", Fb, H)
    pk, pb = w(H, H), w(H, scale=0.1)
    q, bq = w(H, NH, K), w(NH, K, scale=0.1)
    k, bk = w(H, NH, K), w(NH, K, scale=0.1)
    v, bv = w(H, NH, K), w(NH, K, scale=0.1)
    wo, bo = w(NH, K, H), w(H, scale=0.1)
    gcfg = {"units": H, "return_sequences": True, "recurrent_activation": "sigmoid", "reset_after": True}
    lcfg = {"units": H, "return_sequences": True, "recurrent_activation": "sigmoid"}
    encoder = {"name": "encoder", "class_name": "Sequential", "config": {"name": "encoder", "layers": [
        {"class_name": "InputLayer", "config": {"name": "enc_in", "batch_input_shape": [None, None, Fa], "dtype": "float32"}},
        {"class_name": "GRU", "config": dict(gcfg, name="enc_gru")},
        {"class_name": "Dense", "config": {"name": "enc_proj", "units": H, "activation": "tanh"}}]},
        "inbound_nodes": [[t2("a")]]}
    layers = [
        k2("InputLayer", "a", {"batch_input_shape": [None, None, Fa], "dtype": "float32"}, None),
        k2("InputLayer", "b", {"batch_input_shape": [None, None, Fb], "dtype": "float32"}, None),
        encoder,
        k2("LSTM", "decoder", lcfg, [t2("b")]),
        k2("MultiHeadAttention", "cross", {"num_heads": NH, "key_dim": K, "value_dim": K, "dropout": 0.0, "use_bias": True,
           "output_shape": None, "attention_axes": None}, [t2("decoder", {"value": ["encoder", 0, 0]})]),
        k2("GlobalAveragePooling1D", "pool", {"data_format": "channels_last"}, [t2("cross")])]
    config = {"class_name": "Functional", "config": {"name": "nested", "layers": layers,
              "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["pool", 0, 0], ["encoder", 0, 0]]}}
    m = "cross/"
    write_legacy_h5(os.path.join(HERE, "graph_nested_keras2.h5"), config, [
        ("a", []), ("b", []),
        ("encoder", cell_weights("enc_gru", "gru_cell", gw) + [("enc_proj/kernel:0", pk), ("enc_proj/bias:0", pb)]),
        ("decoder", cell_weights("decoder", "lstm_cell", lw)),
        ("cross", mha_h5(m, q, bq, k, bk, v, bv, wo, bo)),
        ("pool", [])], keras_version="2.4.0")
    a = mf.rng.standard_normal((3, 6, Fa)).astype(np.float32)
    b = mf.rng.standard_normal((3, 4, Fb)).astype(np.float32)
    enc = np.tanh(run_rnn("GRU", gcfg, gw, a.astype(np.float64)) @ pk + pb)
    dec = run_rnn("LSTM", lcfg, lw, b.astype(np.float64))
    save("graph_nested_keras2", {"a": a, "b": b}, {"pool": mha(dec, enc, q, k, v, bq, bk, bv, wo, bo).mean(axis=1),
                                                    "enc_proj": enc})


def bad_nested_models():
    """Nested models rnnx refuses: a functional model used as a layer; a Sequential nesting a Sequential in turn."""
    dense = {"class_name": "Dense", "config": {"name": "dense", "units": 1, "activation": "linear"}}
    inner = {"class_name": "Functional", "config": {"name": "inner", "layers": [], "input_layers": [], "output_layers": []}}
    first = {"class_name": "LSTM", "config": {"name": "lstm", "units": 2, "batch_input_shape": [None, None, 2]}}
    for name, nested in (("nested_functional.h5", inner), ("nested_twice.h5", {"class_name": "Sequential", "config": {
            "name": "outer_encoder", "layers": [{"class_name": "Sequential", "config": {"name": "inner", "layers": [dense]}}]}})):
        config = {"class_name": "Sequential", "config": {"name": "model", "layers": [first, nested, dense]}}
        write_legacy_h5(os.path.join(HERE, "bad", name), config, [("lstm", []), (nested["config"]["name"], []), ("dense", [])],
                        keras_version="2.4.0")


def keras2_nested_functional_graph():
    """tf.keras 2.4 functional with a nested functional model 'pair' (inputs x_in [None, None, 3], y_in [None, None, 2];
    LSTM(4) 'p_lstm' over x_in, GRU(4) 'p_gru' over y_in, Add 'p_add', Dense(3, tanh) 'p_out', its output) called on
    [a, b]; Dense(2) 'head' on it; outputs head and pair (rnnx names it after its output layer, p_out). The legacy h5
    group model_weights/pair lists every weight of its layers (p_lstm/lstm_cell/kernel:0, ..., p_out/bias:0)."""
    Fa, Fb, H = 3, 2, 4
    lw, gw = rnn_weights("LSTM", Fa, H), rnn_weights("GRU", Fb, H)
    ok, ob = w(H, 3), w(3, scale=0.1)
    hk, hb = w(3, 2), w(2, scale=0.1)
    lcfg = {"units": H, "return_sequences": False, "recurrent_activation": "sigmoid"}
    gcfg = {"units": H, "return_sequences": False, "recurrent_activation": "sigmoid", "reset_after": True}
    pair = {"name": "pair", "class_name": "Functional", "config": {"name": "pair", "layers": [
        k2("InputLayer", "x_in", {"batch_input_shape": [None, None, Fa], "dtype": "float32"}, None),
        k2("InputLayer", "y_in", {"batch_input_shape": [None, None, Fb], "dtype": "float32"}, None),
        k2("LSTM", "p_lstm", lcfg, [t2("x_in")]),
        k2("GRU", "p_gru", gcfg, [t2("y_in")]),
        k2("Add", "p_add", {}, [t2("p_lstm"), t2("p_gru")]),
        k2("Dense", "p_out", {"units": 3, "activation": "tanh"}, [t2("p_add")])],
        "input_layers": [["x_in", 0, 0], ["y_in", 0, 0]], "output_layers": [["p_out", 0, 0]]},
        "inbound_nodes": [[t2("a"), t2("b")]]}
    layers = [
        k2("InputLayer", "a", {"batch_input_shape": [None, None, Fa], "dtype": "float32"}, None),
        k2("InputLayer", "b", {"batch_input_shape": [None, None, Fb], "dtype": "float32"}, None),
        pair,
        k2("Dense", "head", {"units": 2, "activation": "linear"}, [t2("pair")])]
    config = {"class_name": "Functional", "config": {"name": "outer", "layers": layers,
              "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["head", 0, 0], ["pair", 0, 0]]}}
    write_legacy_h5(os.path.join(HERE, "graph_nested_functional_keras2.h5"), config, [
        ("a", []), ("b", []),
        ("pair", cell_weights("p_lstm", "lstm_cell", lw) + cell_weights("p_gru", "gru_cell", gw)
         + [("p_out/kernel:0", ok), ("p_out/bias:0", ob)]),
        ("head", [("head/kernel:0", hk), ("head/bias:0", hb)])], keras_version="2.4.0")
    a = mf.rng.standard_normal((3, 5, Fa)).astype(np.float32)
    b = mf.rng.standard_normal((3, 4, Fb)).astype(np.float32)
    p = np.tanh((run_rnn("LSTM", lcfg, lw, a.astype(np.float64)) + run_rnn("GRU", gcfg, gw, b.astype(np.float64))) @ ok + ob)
    save("graph_nested_functional_keras2", {"a": a, "b": b}, {"head": p @ hk + hb, "p_out": p})


def keras3_bidirectional_none_graph():
    """Keras 3 .keras functional: x [None, None, 3] -> Bidirectional(GRU(3), merge_mode=None) 'bi' (last outputs; Keras 3
    records the tensors as keras_history ['bi', 0, 0] and ['bi', 0, 1]); Concatenate([backward, forward]) 'swapped' ->
    Dense(2) 'head'; outputs head and the backward output (rnnx names it bi_backward)."""
    F, H = 3, 3
    mod = "keras.layers"
    fw, bw = rnn_weights("GRU", F, H), rnn_weights("GRU", F, H)
    dk, db = w(2 * H, 2), w(2, scale=0.1)
    gcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True}
    seq = [None, None, F]

    def kt(name, index, shape):
        return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32",
                                                             "keras_history": [name, 0, index]}}
    layers = [
        {"module": mod, "class_name": "InputLayer", "name": "x", "inbound_nodes": [],
         "config": {"batch_shape": seq, "dtype": "float32", "name": "x"}},
        {"module": mod, "class_name": "Bidirectional", "name": "bi", "inbound_nodes": [{"args": [kt("x", 0, seq)], "kwargs": {}}],
         "config": {"name": "bi", "merge_mode": None,
                    "layer": {"module": mod, "class_name": "GRU", "config": dict(gcfg, name="forward_gru")},
                    "backward_layer": {"module": mod, "class_name": "GRU",
                                       "config": dict(gcfg, name="backward_gru", go_backwards=True)}}},
        {"module": mod, "class_name": "Concatenate", "name": "swapped",
         "inbound_nodes": [{"args": [[kt("bi", 1, [None, H]), kt("bi", 0, [None, H])]], "kwargs": {}}],
         "config": {"name": "swapped", "axis": -1}},
        {"module": mod, "class_name": "Dense", "name": "head", "inbound_nodes": [{"args": [kt("swapped", 0, [None, 2 * H])],
                                                                                "kwargs": {}}],
         "config": {"name": "head", "units": 2, "activation": "linear"}}]
    config = {"module": "keras", "class_name": "Functional", "config": {"name": "bi_none", "layers": layers,
              "input_layers": [["x", 0, 0]], "output_layers": [["head", 0, 0], ["bi", 0, 1]]}}
    buf = io.BytesIO()
    write_v3_weights(buf, [("bidirectional/forward_layer/cell", fw), ("bidirectional/backward_layer/cell", bw),
                           ("dense", [dk, db])])
    with zipfile.ZipFile(os.path.join(HERE, "graph_bidirectional_none_keras3.keras"), "w") as z:
        zwrite(z, "metadata.json", json.dumps({"keras_version": "3.3.3"}))
        zwrite(z, "config.json", json.dumps(config))
        zwrite(z, "model.weights.h5", buf.getvalue())
    x = mf.rng.standard_normal((4, 6, F)).astype(np.float32)
    both = mf.run_bidirectional("GRU", gcfg, fw, bw, x.astype(np.float64), "concat", keras3=True)
    y, y_rev = both[..., :H], both[..., H:]
    save("graph_bidirectional_none_keras3", {"x": x}, {"head": np.concatenate([y_rev, y], -1) @ dk + db, "bi_backward": y_rev})


def bad_sequential_bidirectional_none():
    """A Sequential model ending in Bidirectional(merge_mode=None): two outputs, which a Sequential model cannot have."""
    F, H = 2, 2
    fw, bw = rnn_weights("SimpleRNN", F, H), rnn_weights("SimpleRNN", F, H)
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": None,
         "batch_input_shape": [None, None, F], "layer": {"class_name": "SimpleRNN",
         "config": {"name": "simple_rnn", "units": H, "activation": "tanh"}}}}]}}
    write_legacy_h5(os.path.join(HERE, "bad", "sequential_bidirectional_none.h5"), config,
                    [("bidirectional", bi_none_weights("bidirectional", "simple_rnn", fw, bw))], keras_version="2.4.0")


def keras2_masked_pooling_graph():
    """tf.keras 2.4 functional masked pooling: features [B, T, 3] -> Masking(0) -> LSTM(4, seq) 'encoder' read by
    GlobalAveragePooling1D 'average' (reads the mask: the mean over the unmasked steps) and GlobalMaxPooling1D 'top'
    (ignores it: the max over every step of the sequence as Keras returns it); token ids -> Embedding(9, 3, mask_zero)
    -> Dense(4, tanh) 'project' -> GlobalAveragePooling1D 'bag'; Concatenate -> Dense(2) 'out'. No row is masked at
    every step (Keras's average gives 0/0 = NaN there)."""
    F, H, V, E, D = 3, 4, 9, 3, 4
    lw = rnn_weights("LSTM", F, H)
    emb, pk, pb = w(V, E), w(E, D), w(D, scale=0.1)
    ok, ob = w(2 * H + D, 2), w(2, scale=0.1)
    lcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    layers = [
        k2("InputLayer", "features", {"batch_input_shape": [None, None, F], "dtype": "float32"}, None),
        k2("InputLayer", "tokens", {"batch_input_shape": [None, None], "dtype": "int32"}, None),
        k2("Masking", "masking", {"mask_value": 0.0}, [t2("features")]),
        k2("LSTM", "encoder", lcfg, [t2("masking")]),
        k2("GlobalAveragePooling1D", "average", {"data_format": "channels_last"}, [t2("encoder")]),
        k2("GlobalMaxPooling1D", "top", {"data_format": "channels_last"}, [t2("encoder")]),
        k2("Embedding", "embedding", {"input_dim": V, "output_dim": E, "mask_zero": True}, [t2("tokens")]),
        k2("Dense", "project", {"units": D, "activation": "tanh"}, [t2("embedding")]),
        k2("GlobalAveragePooling1D", "bag", {"data_format": "channels_last"}, [t2("project")]),
        k2("Concatenate", "concatenate", {"axis": -1}, [t2("average"), t2("top"), t2("bag")]),
        k2("Dense", "out", {"units": 2, "activation": "linear"}, [t2("concatenate")])]
    config = {"class_name": "Functional", "config": {"name": "masked_pooling", "layers": layers,
              "input_layers": [["features", 0, 0], ["tokens", 0, 0]], "output_layers": [["out", 0, 0]]}}
    write_legacy_h5(os.path.join(HERE, "graph_masked_pooling_keras2.h5"), config, [
        ("features", []), ("tokens", []), ("masking", []),
        ("encoder", [(f"encoder/lstm_cell/{n}:0", a) for n, a in zip(("kernel", "recurrent_kernel", "bias"), lw)]),
        ("average", []), ("top", []), ("embedding", [("embedding/embeddings:0", emb)]),
        ("project", [("project/kernel:0", pk), ("project/bias:0", pb)]), ("bag", []), ("concatenate", []),
        ("out", [("out/kernel:0", ok), ("out/bias:0", ob)])], keras_version="2.4.0")
    x, _ = mf.masked_inputs(5, 7, F, 0.0)
    x[4, 3, :] = mf.rng.standard_normal(F).astype(np.float32)  # one unmasked step in the last row
    m = ~np.all(x == np.float32(0.0), axis=-1)
    ids = mf.rng.integers(1, V, size=(5, 6)).astype(np.int64)
    ids[0, 2] = 0; ids[0, 3] = 0; ids[1, 0] = 0; ids[2, 5] = 0; ids[3, :] = 0; ids[3, 4] = 5
    mean = lambda y, k: (y * k[:, :, None]).sum(1) / k.sum(1, keepdims=True)
    enc = run_rnn("LSTM", lcfg, lw, x.astype(np.float64), mask=m)
    bag = mean(np.tanh(emb.astype(np.float64)[ids] @ pk + pb), (ids != 0).astype(np.float64))
    out = np.concatenate([mean(enc, m.astype(np.float64)), enc.max(1), bag], -1) @ ok + ob
    save("graph_masked_pooling_keras2", {"features": x, "tokens": ids}, {"out": out})


if __name__ == "__main__":
    keras2_two_inputs()
    keras3_residual()
    bad_graphs()
    keras2_masked_graph()
    bad_masked_graphs()
    keras3_masked_graph()
    keras2_activation_graph()
    keras2_flatten_graph()
    keras2_shared_graph()
    keras2_masked_shared_graph()
    keras2_bidirectional_none_graph()
    keras2_masked_bidirectional_none_graph()
    bad_sequential_bidirectional_none()
    keras2_attention_key_graph()
    keras2_causal_cross_graph()
    keras2_nested_sequential()
    keras2_nested_graph()
    bad_nested_models()
    keras2_nested_functional_graph()
    keras3_bidirectional_none_graph()
    keras2_masked_pooling_graph()
