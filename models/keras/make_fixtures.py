#!/usr/bin/python3
"""Writes the Keras import fixtures of rnnx (models/keras/) with h5py and numpy only.

There is no Keras here: each file is written in the exact layout Keras writes (legacy HDF5 as
Keras 2's model.save, the Keras 3 .keras zip, Keras 3's save_weights), and its expected outputs
are computed in float64 from Keras's documented layer equations (keras/src/layers/rnn/*.py).
Run: /usr/bin/python3 models/keras/make_fixtures.py   (deterministic: seeded)
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261207)


def act(name, x, keras3=False):
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "hard_sigmoid":
        return np.clip(x + 3, 0, 6) / 6 if keras3 else np.clip(0.2 * x + 0.5, 0, 1)
    if name == "relu":
        return np.maximum(x, 0)
    if name == "linear":
        return x
    if name == "softmax":
        e = np.exp(x - x.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)
    raise ValueError(name)


def w(*shape, scale=0.4):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


# ---- Keras layer equations (float64), x [B, T, F]
def run_rnn(kind, cfg, ws, x, keras3=False, mask=None, zero_output_for_mask=False):
    """Keras's RNN over x in its processing order (reversed with go_backwards, as backend.rnn reverses inputs and mask).
    At a masked step the state is kept; the output repeats the previous one, or is zero with zero_output_for_mask
    (backend.rnn: flat_mask_output = flat_zero_output if zero_output_for_mask else prev_output)."""
    a, ra = cfg.get("activation", "tanh"), cfg.get("recurrent_activation", "sigmoid")
    W, U = ws[0].astype(np.float64), ws[1].astype(np.float64)
    b = ws[2].astype(np.float64) if len(ws) > 2 else None
    B, T, _ = x.shape
    H = U.shape[0]
    h = np.zeros((B, H)); c = np.zeros((B, H))
    steps = range(T - 1, -1, -1) if cfg.get("go_backwards") else range(T)
    outs = []
    for t in steps:
        xt = x[:, t, :]
        h_prev, c_prev = h, c
        if kind == "SimpleRNN":
            h = act(a, xt @ W + h @ U + (b if b is not None else 0), keras3)
        elif kind == "LSTM":
            z = xt @ W + h @ U + (b if b is not None else 0)
            i, f, cc, o = z[:, :H], z[:, H:2 * H], z[:, 2 * H:3 * H], z[:, 3 * H:]
            i, f, o = act(ra, i, keras3), act(ra, f, keras3), act(ra, o, keras3)
            c = f * c + i * act(a, cc, keras3)
            h = o * act(a, c, keras3)
        else:  # GRU
            if cfg["reset_after"]:
                bi, br = (b[0], b[1]) if b is not None else (0, 0)
                xz = xt @ W + bi
                rec = h @ U + br
                z = act(ra, xz[:, :H] + rec[:, :H], keras3)
                r = act(ra, xz[:, H:2 * H] + rec[:, H:2 * H], keras3)
                hh = act(a, xz[:, 2 * H:] + r * rec[:, 2 * H:], keras3)
            else:
                bb = b if b is not None else np.zeros(3 * H)
                xz = xt @ W + bb
                z = act(ra, xz[:, :H] + h @ U[:, :H], keras3)
                r = act(ra, xz[:, H:2 * H] + h @ U[:, H:2 * H], keras3)
                hh = act(a, xz[:, 2 * H:] + (r * h) @ U[:, 2 * H:], keras3)
            h = z * h + (1 - z) * hh
        if mask is not None:  # Keras masking: a masked step keeps the state (and repeats the output)
            keep = mask[:, t][:, None]
            h, c = np.where(keep, h, h_prev), np.where(keep, c, c_prev)
            if zero_output_for_mask:
                outs.append(np.where(keep, h, 0.0))
                continue
        outs.append(h)
    seq = np.stack(outs, 1)
    return seq if cfg.get("return_sequences") else h


def run_bidirectional(kind, cfg, fw, bw, x, merge, mask=None, keras3=False):
    """Keras's Bidirectional (keras/layers/rnn/bidirectional.py, tf.keras 2.x and Keras 3 alike):
    - __init__: forward_layer = the wrapped layer's config; backward_layer = the same config with go_backwards flipped
      (tf.keras: _recreate_layer_from_config(layer, go_backwards=True) sets config['go_backwards'] = not config[...];
      Keras 3 records both configs, and _verify_layer_config requires their go_backwards to differ);
    - __init__: force_zero_output_for_mask sets zero_output_for_mask = return_sequences on both halves;
    - call: y = forward_layer(x, mask), y_rev = backward_layer(x, mask); if return_sequences:
      y_rev = backend.reverse(y_rev, 1) (Keras 3: ops.flip(y_rev, axis=1)); then the merge of [y, y_rev]."""
    seq = cfg.get("return_sequences", False)
    y = run_rnn(kind, cfg, fw, x, keras3, mask, zero_output_for_mask=seq)
    y_rev = run_rnn(kind, dict(cfg, go_backwards=not cfg.get("go_backwards", False)), bw, x, keras3, mask,
                    zero_output_for_mask=seq)
    if seq:
        y_rev = y_rev[:, ::-1, :]
    return {"concat": lambda: np.concatenate([y, y_rev], -1), "sum": lambda: y + y_rev, "mul": lambda: y * y_rev,
            "ave": lambda: (y + y_rev) / 2}[merge]()


def rnn_weights(kind, F, H, reset_after=True):
    g = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[kind]
    ws = [w(F, g * H), w(H, g * H)]
    ws.append(w(2, 3 * H, scale=0.2) if kind == "GRU" and reset_after else w(g * H, scale=0.2))
    return ws


def layer(cls, name, **cfg):
    cfg["name"] = name
    return {"class_name": cls, "config": cfg}


# ---- writers
def _attr_strings(values):
    return np.array([v.encode("utf8") for v in values])


def write_legacy_h5(path, model_config, weights, keras_version="2.2.4", with_config=True):
    """weights: list of (layer name, [(weight name, array)]) as Keras 2's save_weights_to_hdf5_group."""
    with h5py.File(path, "w") as f:
        if with_config:
            f.attrs["keras_version"] = keras_version.encode("utf8")
            f.attrs["backend"] = b"tensorflow"
            f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
            g = f.create_group("model_weights")
        else:
            g = f
        g.attrs["layer_names"] = _attr_strings([n for n, _ in weights])
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = keras_version.encode("utf8")
        for name, ws in weights:
            lg = g.create_group(name)
            lg.attrs["weight_names"] = _attr_strings([wn for wn, _ in ws])
            for wn, arr in ws:
                lg.create_dataset(wn, data=arr)


def write_v3_weights(buf_or_path, weights):
    """weights: list of (path under layers/, [arrays]) as Keras 3's H5IOStore."""
    with h5py.File(buf_or_path, "w") as f:
        f.create_group("layers")
        f.create_group("vars")
        for path, ws in weights:
            g = f.create_group("layers/" + path + "/vars")
            for i, arr in enumerate(ws):
                g.create_dataset(str(i), data=arr)
        f.create_group("optimizer/vars")


def zwrite(z, name, data):
    """A zip member with a fixed time stamp, so that the fixtures are byte-identical on every run."""
    info = zipfile.ZipInfo(name, date_time=(2026, 12, 7, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data)


def write_keras3_zip(path, config, weights_buf):
    """A Keras 3 .keras zip: metadata.json (3.3.3), config.json, model.weights.h5 from weights_buf."""
    with zipfile.ZipFile(path, "w") as z:
        zwrite(z, "metadata.json", json.dumps({"keras_version": "3.3.3"}))
        zwrite(z, "config.json", json.dumps(config))
        zwrite(z, "model.weights.h5", weights_buf.getvalue())


def save(name, x, y):
    np.save(os.path.join(HERE, name + "_input.npy"), x)
    np.save(os.path.join(HERE, name + "_expected.npy"), y.astype(np.float32))


def keras2_gru_tagger():
    """Keras 2.2.4 Sequential: GRU(6, reset_after false, hard_sigmoid) -> Dropout -> TimeDistributed(Dense(3, softmax))."""
    F, H, T = 2, 6, 9
    gw = rnn_weights("GRU", F, H, reset_after=False)
    dk, db = w(H, 3), w(3, scale=0.1)
    gcfg = {"units": H, "activation": "tanh", "recurrent_activation": "hard_sigmoid", "return_sequences": True,
            "reset_after": False, "batch_input_shape": [None, T, F], "stateful": False, "go_backwards": False}
    config = {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": [
        layer("GRU", "gru_1", **gcfg), layer("Dropout", "dropout_1", rate=0.3),
        {"class_name": "TimeDistributed", "config": {"name": "time_distributed_1", "layer": layer("Dense", "dense_1", units=3,
                                                                                                 activation="softmax")}}]}}
    write_legacy_h5(os.path.join(HERE, "gru_tagger_keras2.h5"), config, [
        ("gru_1", [("gru_1/kernel:0", gw[0]), ("gru_1/recurrent_kernel:0", gw[1]), ("gru_1/bias:0", gw[2])]),
        ("dropout_1", []),
        ("time_distributed_1", [("time_distributed_1/kernel:0", dk), ("time_distributed_1/bias:0", db)])])
    x = rng.standard_normal((3, T, F)).astype(np.float32)
    y = act("softmax", run_rnn("GRU", gcfg, gw, x.astype(np.float64)) @ dk + db)
    save("gru_tagger_keras2", x, y)


def keras2_bidirectional():
    """tf.keras 2.x functional: Input -> Bidirectional(LSTM, concat, seq) -> Bidirectional(GRU reset_after, ave) -> Dense."""
    F, H, T = 3, 5, 7
    fw1, bw1 = rnn_weights("LSTM", F, H), rnn_weights("LSTM", F, H)
    fw2, bw2 = rnn_weights("GRU", 2 * H, 4), rnn_weights("GRU", 2 * H, 4)
    dk, db = w(4, 2), w(2, scale=0.1)
    l1 = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    l2 = {"units": 4, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True}
    layers = [
        {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [None, None, F], "name": "input_1"},
         "inbound_nodes": []},
        {"name": "bidirectional", "class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": "concat",
         "layer": layer("LSTM", "lstm", **l1)}, "inbound_nodes": [[["input_1", 0, 0, {}]]]},
        {"name": "bidirectional_1", "class_name": "Bidirectional", "config": {"name": "bidirectional_1", "merge_mode": "ave",
         "layer": layer("GRU", "gru", **l2)}, "inbound_nodes": [[["bidirectional", 0, 0, {}]]]},
        {"name": "dense", "class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "linear"},
         "inbound_nodes": [[["bidirectional_1", 0, 0, {}]]]}]
    config = {"class_name": "Functional", "config": {"name": "model", "layers": layers,
              "input_layers": [["input_1", 0, 0]], "output_layers": [["dense", 0, 0]]}}

    def names(layer_name, inner, ws):
        return [(f"{layer_name}/{d}_{inner}/{n}:0", a) for d, wl in (("forward", ws[0]), ("backward", ws[1]))
                for n, a in zip(("kernel", "recurrent_kernel", "bias"), wl)]
    write_legacy_h5(os.path.join(HERE, "bidirectional_keras2.h5"), config, [
        ("input_1", []), ("bidirectional", names("bidirectional", "lstm", (fw1, bw1))),
        ("bidirectional_1", names("bidirectional_1", "gru", (fw2, bw2))),
        ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    x = rng.standard_normal((4, T, F)).astype(np.float32)
    xd = x.astype(np.float64)
    f1 = run_rnn("LSTM", l1, fw1, xd)
    b1 = run_rnn("LSTM", dict(l1, go_backwards=True), bw1, xd)[:, ::-1, :]
    s1 = np.concatenate([f1, b1], -1)
    f2 = run_rnn("GRU", l2, fw2, s1)
    b2 = run_rnn("GRU", dict(l2, go_backwards=True), bw2, s1)
    y = ((f2 + b2) / 2) @ dk + db
    save("bidirectional_keras2", x, y)


def keras2_embedding():
    """Keras 2.2.4 functional: Input(int) -> Embedding(20, 6) -> SimpleRNN(relu, go_backwards) -> Dense(4) -> Activation(softmax)."""
    V, E, H, T = 20, 6, 8, 10
    emb = w(V, E)
    rw = rnn_weights("SimpleRNN", E, H)
    dk, db = w(H, 4), w(4, scale=0.1)
    rcfg = {"units": H, "activation": "relu", "go_backwards": True, "return_sequences": False}
    layers = [
        {"name": "tokens", "class_name": "InputLayer", "config": {"batch_input_shape": [None, None], "dtype": "int32",
         "name": "tokens"}, "inbound_nodes": []},
        {"name": "embedding_1", "class_name": "Embedding", "config": {"name": "embedding_1", "input_dim": V, "output_dim": E,
         "mask_zero": False}, "inbound_nodes": [[["tokens", 0, 0, {}]]]},
        {"name": "simple_rnn_1", "class_name": "SimpleRNN", "config": dict(rcfg, name="simple_rnn_1"),
         "inbound_nodes": [[["embedding_1", 0, 0, {}]]]},
        {"name": "dense_1", "class_name": "Dense", "config": {"name": "dense_1", "units": 4, "activation": "linear"},
         "inbound_nodes": [[["simple_rnn_1", 0, 0, {}]]]},
        {"name": "activation_1", "class_name": "Activation", "config": {"name": "activation_1", "activation": "softmax"},
         "inbound_nodes": [[["dense_1", 0, 0, {}]]]}]
    config = {"class_name": "Model", "config": {"name": "classifier", "layers": layers,
              "input_layers": [["tokens", 0, 0]], "output_layers": [["activation_1", 0, 0]]}}
    write_legacy_h5(os.path.join(HERE, "embedding_rnn_keras2.h5"), config, [
        ("tokens", []), ("embedding_1", [("embedding_1/embeddings:0", emb)]),
        ("simple_rnn_1", [("simple_rnn_1/kernel:0", rw[0]), ("simple_rnn_1/recurrent_kernel:0", rw[1]),
                          ("simple_rnn_1/bias:0", rw[2])]),
        ("dense_1", [("dense_1/kernel:0", dk), ("dense_1/bias:0", db)]), ("activation_1", [])])
    x = rng.integers(0, V, size=(5, T)).astype(np.int64)
    h = run_rnn("SimpleRNN", rcfg, rw, emb.astype(np.float64)[x])
    save("embedding_rnn_keras2", x, act("softmax", h @ dk + db))


def keras3_lstm():
    """Keras 3 .keras: InputLayer -> LSTM(hard_sigmoid = relu6(x+3)/6, seq) -> LayerNormalization -> GlobalAveragePooling1D -> Dense."""
    F, H, T = 4, 6, 8
    lw = rnn_weights("LSTM", F, H)
    gamma, beta = (1 + w(H, scale=0.2)), w(H, scale=0.2)
    dk, db = w(H, 3), w(3, scale=0.1)
    lcfg = {"units": H, "activation": "tanh", "recurrent_activation": "hard_sigmoid", "return_sequences": True}
    mod = "keras.layers"
    config = {"module": "keras", "class_name": "Sequential", "registered_name": None, "config": {"name": "sequential", "layers": [
        {"module": mod, "class_name": "InputLayer", "config": {"batch_shape": [None, None, F], "dtype": "float32",
                                                              "name": "input_layer"}, "registered_name": None},
        {"module": mod, "class_name": "LSTM", "config": dict(lcfg, name="lstm"), "registered_name": None},
        {"module": mod, "class_name": "LayerNormalization", "config": {"name": "layer_normalization", "axis": [-1],
                                                                      "epsilon": 0.001, "center": True, "scale": True}},
        {"module": mod, "class_name": "GlobalAveragePooling1D", "config": {"name": "global_average_pooling1d",
                                                                          "data_format": "channels_last", "keepdims": False}},
        {"module": mod, "class_name": "Dense", "config": {"name": "dense", "units": 3, "activation": "linear"}}]}}
    buf = io.BytesIO()
    v3 = [("lstm/cell", lw), ("layer_normalization", [gamma, beta]), ("dense", [dk, db])]
    write_v3_weights(buf, v3)
    with zipfile.ZipFile(os.path.join(HERE, "lstm_keras3.keras"), "w") as z:
        zwrite(z, "metadata.json", json.dumps({"keras_version": "3.3.3", "date_saved": "2026-12-07@09:00:00"}))
        zwrite(z, "config.json", json.dumps(config))
        zwrite(z, "model.weights.h5", buf.getvalue())
    # the same model as weights-only (Keras 3 save_weights) plus model.to_json()
    write_v3_weights(os.path.join(HERE, "lstm_keras3.weights.h5"), v3)
    with open(os.path.join(HERE, "lstm_keras3.json"), "w") as f:
        json.dump(dict(config, keras_version="3.3.3"), f)
    x = rng.standard_normal((3, T, F)).astype(np.float32)
    s = run_rnn("LSTM", lcfg, lw, x.astype(np.float64), keras3=True)
    mu, var = s.mean(-1, keepdims=True), s.var(-1, keepdims=True)
    s = (s - mu) / np.sqrt(var + 0.001) * gamma + beta
    save("lstm_keras3", x, s.mean(1) @ dk + db)


def keras3_functional():
    """Keras 3 .keras functional: Input -> Bidirectional(GRU, sum, seq) -> TimeDistributed(Dense(2)); Keras 3 inbound_nodes."""
    F, H, T = 3, 4, 6
    fw, bw = rnn_weights("GRU", F, H), rnn_weights("GRU", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    g = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True, "reset_after": True}

    def call(name):
        return [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [None, None, F], "dtype": "float32",
                                                                      "keras_history": [name, 0, 0]}}], "kwargs": {}}]
    mod = "keras.layers"
    layers = [
        {"module": mod, "class_name": "InputLayer", "name": "inputs", "inbound_nodes": [],
         "config": {"batch_shape": [None, None, F], "dtype": "float32", "name": "inputs"}},
        {"module": mod, "class_name": "Bidirectional", "name": "bidirectional", "inbound_nodes": call("inputs"),
         "config": {"name": "bidirectional", "merge_mode": "sum", "layer": {"module": mod, "class_name": "GRU",
                    "config": dict(g, name="forward_gru")},
                    "backward_layer": {"module": mod, "class_name": "GRU", "config": dict(g, name="backward_gru",
                                                                                         go_backwards=True)}}},
        {"module": mod, "class_name": "TimeDistributed", "name": "time_distributed", "inbound_nodes": call("bidirectional"),
         "config": {"name": "time_distributed", "layer": {"module": mod, "class_name": "Dense",
                                                           "config": {"name": "dense", "units": 2, "activation": "linear"}}}}]
    config = {"module": "keras", "class_name": "Functional", "config": {"name": "tagger", "layers": layers,
              "input_layers": [["inputs", 0, 0]], "output_layers": [["time_distributed", 0, 0]]}}
    buf = io.BytesIO()
    write_v3_weights(buf, [("bidirectional/forward_layer/cell", fw), ("bidirectional/backward_layer/cell", bw),
                           ("time_distributed/layer", [dk, db])])
    with zipfile.ZipFile(os.path.join(HERE, "bidirectional_keras3.keras"), "w") as z:
        zwrite(z, "metadata.json", json.dumps({"keras_version": "3.3.3"}))
        zwrite(z, "config.json", json.dumps(config))
        zwrite(z, "model.weights.h5", buf.getvalue())
    x = rng.standard_normal((2, T, F)).astype(np.float32)
    xd = x.astype(np.float64)
    y = run_rnn("GRU", g, fw, xd) + run_rnn("GRU", dict(g, go_backwards=True), bw, xd)[:, ::-1, :]
    save("bidirectional_keras3", x, y @ dk + db)


def keras2_dense_on_sequence():
    """tf.keras 2.4 Sequential: LSTM(5, seq, go_backwards) -> GaussianNoise -> Dense(2, tanh) on every step (no TimeDistributed)."""
    F, H, T = 2, 5, 7
    lw = rnn_weights("LSTM", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    lcfg = {"units": H, "return_sequences": True, "go_backwards": True, "batch_input_shape": [None, T, F]}
    config = {"class_name": "Sequential", "config": {"name": "per_step", "layers": [
        layer("LSTM", "lstm", **lcfg), layer("GaussianNoise", "gaussian_noise", stddev=0.1),
        layer("Dense", "dense", units=2, activation="tanh")]}}
    write_legacy_h5(os.path.join(HERE, "dense_sequence_keras2.h5"), config, [
        ("lstm", [("lstm/kernel:0", lw[0]), ("lstm/recurrent_kernel:0", lw[1]), ("lstm/bias:0", lw[2])]),
        ("gaussian_noise", []), ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    x = rng.standard_normal((3, T, F)).astype(np.float32)
    # no recurrent_activation in the config: tf.keras 2.4's default, sigmoid
    save("dense_sequence_keras2", x, np.tanh(run_rnn("LSTM", lcfg, lw, x.astype(np.float64)) @ dk + db))


def keras2_max_pooling():
    """tf.keras 2.4 Sequential: Embedding(15, 5) -> GRU(6, seq) -> GlobalMaxPooling1D -> Dense(3, softmax)."""
    V, E, H, T = 15, 5, 6, 8
    emb = w(V, E)
    gw = rnn_weights("GRU", E, H)
    dk, db = w(H, 3), w(3, scale=0.1)
    g = {"units": H, "return_sequences": True}
    config = {"class_name": "Sequential", "config": {"name": "pooled", "layers": [
        layer("Embedding", "embedding", input_dim=V, output_dim=E, batch_input_shape=[None, None]), layer("GRU", "gru", **g),
        layer("GlobalMaxPooling1D", "global_max_pooling1d", data_format="channels_last"),
        layer("Dense", "dense", units=3, activation="softmax")]}}
    write_legacy_h5(os.path.join(HERE, "max_pooling_keras2.h5"), config, [
        ("embedding", [("embedding/embeddings:0", emb)]),
        ("gru", [("gru/gru_cell/kernel:0", gw[0]), ("gru/gru_cell/recurrent_kernel:0", gw[1]), ("gru/gru_cell/bias:0", gw[2])]),
        ("global_max_pooling1d", []), ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    x = rng.integers(0, V, size=(4, T)).astype(np.int64)
    # tf.keras 2.4 defaults: recurrent_activation sigmoid, reset_after true
    s = run_rnn("GRU", dict(g, reset_after=True), gw, emb.astype(np.float64)[x])
    save("max_pooling_keras2", x, act("softmax", s.max(1) @ dk + db))


def keras2_self_attention():
    """tf.keras 2.4 functional: Input -> MultiHeadAttention(2 heads, key_dim 3)(x, x) -> GlobalAveragePooling1D -> Dense(2)."""
    F, NH, K, T = 6, 2, 3, 5
    q, k, v = (w(F, NH, K) for _ in range(3))
    bq, bk, bv = (w(NH, K, scale=0.1) for _ in range(3))
    wo, bo = w(NH, K, F), w(F, scale=0.1)
    dk, db = w(F, 2), w(2, scale=0.1)
    layers = [
        {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [None, None, F], "name": "input_1"},
         "inbound_nodes": []},
        {"name": "multi_head_attention", "class_name": "MultiHeadAttention", "config": {"name": "multi_head_attention",
         "num_heads": NH, "key_dim": K, "value_dim": K, "dropout": 0.0, "use_bias": True, "output_shape": None,
         "attention_axes": None}, "inbound_nodes": [[["input_1", 0, 0, {"value": ["input_1", 0, 0]}]]]},
        {"name": "global_average_pooling1d", "class_name": "GlobalAveragePooling1D", "config": {
         "name": "global_average_pooling1d", "data_format": "channels_last"},
         "inbound_nodes": [[["multi_head_attention", 0, 0, {}]]]},
        {"name": "dense", "class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "linear"},
         "inbound_nodes": [[["global_average_pooling1d", 0, 0, {}]]]}]
    config = {"class_name": "Functional", "config": {"name": "attender", "layers": layers,
              "input_layers": [["input_1", 0, 0]], "output_layers": [["dense", 0, 0]]}}
    m = "multi_head_attention/"
    write_legacy_h5(os.path.join(HERE, "attention_keras2.h5"), config, [
        ("input_1", []), ("multi_head_attention", [(m + "query/kernel:0", q), (m + "query/bias:0", bq), (m + "key/kernel:0", k),
                                                   (m + "key/bias:0", bk), (m + "value/kernel:0", v), (m + "value/bias:0", bv),
                                                   (m + "attention_output/kernel:0", wo), (m + "attention_output/bias:0", bo)]),
        ("global_average_pooling1d", []), ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    x = rng.standard_normal((3, T, F)).astype(np.float32)
    xd = x.astype(np.float64)
    Q = np.einsum("btf,fhk->bthk", xd, q) + bq
    Kt = np.einsum("btf,fhk->bthk", xd, k) + bk
    V = np.einsum("btf,fhk->bthk", xd, v) + bv
    s = np.einsum("bqhk,bshk->bhqs", Q / np.sqrt(K), Kt)
    a = act("softmax", s)
    o = np.einsum("bhqs,bshk->bqhk", a, V)
    y = np.einsum("bqhk,hkf->bqf", o, wo) + bo
    save("attention_keras2", x, y.mean(1) @ dk + db)


def keras2_dot_attention():
    """tf.keras 2.4 functional: Input -> LSTM(4, seq) -> Attention(causal)([h, h]) -> GlobalMaxPooling1D -> Dense(1)."""
    F, H, T = 2, 4, 6
    lw = rnn_weights("LSTM", F, H)
    dk, db = w(H, 1), w(1, scale=0.1)
    lcfg = {"units": H, "return_sequences": True, "recurrent_activation": "sigmoid"}
    layers = [
        {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [None, None, F], "name": "input_1"},
         "inbound_nodes": []},
        {"name": "lstm", "class_name": "LSTM", "config": dict(lcfg, name="lstm"), "inbound_nodes": [[["input_1", 0, 0, {}]]]},
        {"name": "attention", "class_name": "Attention", "config": {"name": "attention", "use_scale": False, "causal": True,
         "dropout": 0.0}, "inbound_nodes": [[["lstm", 0, 0, {}], ["lstm", 0, 0, {}]]]},
        {"name": "global_max_pooling1d", "class_name": "GlobalMaxPooling1D", "config": {"name": "global_max_pooling1d"},
         "inbound_nodes": [[["attention", 0, 0, {}]]]},
        {"name": "dense", "class_name": "Dense", "config": {"name": "dense", "units": 1, "activation": "sigmoid"},
         "inbound_nodes": [[["global_max_pooling1d", 0, 0, {}]]]}]
    config = {"class_name": "Functional", "config": {"name": "dot_attention", "layers": layers,
              "input_layers": [["input_1", 0, 0]], "output_layers": [["dense", 0, 0]]}}
    write_legacy_h5(os.path.join(HERE, "dot_attention_keras2.h5"), config, [
        ("input_1", []), ("lstm", [("lstm/lstm_cell/kernel:0", lw[0]), ("lstm/lstm_cell/recurrent_kernel:0", lw[1]),
                                   ("lstm/lstm_cell/bias:0", lw[2])]),
        ("attention", []), ("global_max_pooling1d", []), ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])],
        keras_version="2.4.0")
    x = rng.standard_normal((3, T, F)).astype(np.float32)
    h = run_rnn("LSTM", lcfg, lw, x.astype(np.float64))
    s = np.einsum("bqd,bkd->bqk", h, h)
    s = np.where(np.tril(np.ones((T, T))) > 0, s, -1e9)
    o = act("softmax", s) @ h
    save("dot_attention_keras2", x, act("sigmoid", o.max(1) @ dk + db))


def bad_files():
    """Files rnnx must refuse: a Lambda layer, shapes that contradict the config, a layer missing from the weights, corrupt bytes."""
    F, H = 2, 3
    lw = rnn_weights("LSTM", F, H)
    base = [layer("LSTM", "lstm_1", units=H, batch_input_shape=[None, 5, F]), layer("Dense", "dense_1", units=1)]
    ok = [("lstm_1", [("lstm_1/kernel:0", lw[0]), ("lstm_1/recurrent_kernel:0", lw[1]), ("lstm_1/bias:0", lw[2])]),
          ("dense_1", [("dense_1/kernel:0", w(H, 1)), ("dense_1/bias:0", w(1))])]
    seq = lambda layers: {"class_name": "Sequential", "config": {"name": "s", "layers": layers}}
    d = os.path.join(HERE, "bad")
    os.makedirs(d, exist_ok=True)
    write_legacy_h5(os.path.join(d, "lambda.h5"), seq([base[0], layer("Lambda", "lambda_1", function="gASV..."), base[1]]),
                    ok[:1] + [("lambda_1", [])] + ok[1:])
    write_legacy_h5(os.path.join(d, "wrong_shape.h5"), seq([dict(base[0], config=dict(base[0]["config"], units=4)), base[1]]),
                    ok)
    write_legacy_h5(os.path.join(d, "missing_layer.h5"), seq(base), ok[:1])
    write_legacy_h5(os.path.join(d, "keras1.h5"), seq(base), ok, keras_version="1.2.2")
    write_legacy_h5(os.path.join(d, "unsupported_activation.h5"),
                    seq([base[0], layer("Dense", "dense_1", units=1, activation="swish")]), ok)
    with open(os.path.join(HERE, "simple_lstm_tf_keras_2_model.h5"), "rb") as f:
        head = f.read(4096)
    with open(os.path.join(d, "truncated.h5"), "wb") as f:
        f.write(head)
    with open(os.path.join(HERE, "lstm_keras3.keras"), "rb") as f:
        data = f.read()
    with open(os.path.join(d, "truncated.keras"), "wb") as f:
        f.write(data[: len(data) // 2])


def masked_inputs(B, T, F, value):
    """Features with masked steps (every feature equal to value) in the middle, at the start and at the end of rows,
    and steps where only some features equal it (not masked)."""
    x = rng.standard_normal((B, T, F)).astype(np.float32)
    x[0, 2, :] = value; x[0, 3, :] = value  # mid-sequence
    x[1, T - 3:, :] = value  # trailing
    x[2, 0, :] = value; x[2, T - 1, :] = value  # leading and trailing
    x[3, 1, 0] = value  # one feature only: not masked
    x[3, 4, :] = value
    x[4, :, :] = value  # every step masked: Keras keeps the initial state (zeros)
    return x, ~np.all(x == np.float32(value), axis=-1)


def keras2_masked():
    """Keras 2 masked models: Masking mid-sequence and trailing (LSTM; Dense then GRU go_backwards; Bidirectional LSTM),
    and Embedding(mask_zero) -> SimpleRNN; every recurrent layer returns its last output."""
    F, H, T = 3, 5, 8
    seq = lambda name, layers: {"class_name": "Sequential", "config": {"name": name, "layers": layers}}
    rnn_names = lambda n, ws: [(f"{n}/{k}:0", a) for k, a in zip(("kernel", "recurrent_kernel", "bias"), ws)]
    # 1. Masking(0) -> LSTM -> Dense
    lw = rnn_weights("LSTM", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    lcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False}
    write_legacy_h5(os.path.join(HERE, "masking_lstm_keras2.h5"), seq("masked_lstm", [
        layer("Masking", "masking_1", mask_value=0.0, batch_input_shape=[None, None, F]), layer("LSTM", "lstm_1", **lcfg),
        layer("Dense", "dense_1", units=2, activation="linear")]),
        [("masking_1", []), ("lstm_1", rnn_names("lstm_1", lw)), ("dense_1", [("dense_1/kernel:0", dk), ("dense_1/bias:0", db)])],
        keras_version="2.4.0")
    x, m = masked_inputs(5, T, F, 0.0)
    save("masking_lstm_keras2", x, run_rnn("LSTM", lcfg, lw, x.astype(np.float64), mask=m) @ dk + db)
    # 2. Masking(-1) -> Dense(4, tanh) on every step -> GRU(go_backwards, reset_after) -> Dense
    pk, pb = w(F, 4), w(4, scale=0.1)
    gw = rnn_weights("GRU", 4, H)
    dk, db = w(H, 3), w(3, scale=0.1)
    gcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False,
            "reset_after": True, "go_backwards": True}
    write_legacy_h5(os.path.join(HERE, "masking_gru_keras2.h5"), seq("masked_gru", [
        layer("Masking", "masking_1", mask_value=-1.0, batch_input_shape=[None, None, F]),
        layer("Dense", "dense_1", units=4, activation="tanh"), layer("GRU", "gru_1", **gcfg),
        layer("Dense", "dense_2", units=3, activation="softmax")]),
        [("masking_1", []), ("dense_1", [("dense_1/kernel:0", pk), ("dense_1/bias:0", pb)]), ("gru_1", rnn_names("gru_1", gw)),
         ("dense_2", [("dense_2/kernel:0", dk), ("dense_2/bias:0", db)])], keras_version="2.4.0")
    x, m = masked_inputs(5, T, F, -1.0)
    p = np.tanh(x.astype(np.float64) * (x != -1.0).any(-1, keepdims=True) @ pk + pb)  # Masking zeroes masked steps
    save("masking_gru_keras2", x, act("softmax", run_rnn("GRU", gcfg, gw, p, mask=m) @ dk + db))
    # 3. Masking(0) -> Bidirectional(LSTM, concat) -> Dense
    fw, bw = rnn_weights("LSTM", F, H), rnn_weights("LSTM", F, H)
    dk, db = w(2 * H, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_bidirectional_keras2.h5"), seq("masked_bidirectional", [
        layer("Masking", "masking_1", mask_value=0.0, batch_input_shape=[None, None, F]),
        {"class_name": "Bidirectional", "config": {"name": "bidirectional_1", "merge_mode": "concat",
                                                   "layer": layer("LSTM", "lstm_1", **lcfg)}},
        layer("Dense", "dense_1", units=2, activation="linear")]),
        [("masking_1", []), ("bidirectional_1", [(f"bidirectional_1/{d}_lstm_1/{n}:0", a)
                                                 for d, ws in (("forward", fw), ("backward", bw))
                                                 for n, a in zip(("kernel", "recurrent_kernel", "bias"), ws)]),
         ("dense_1", [("dense_1/kernel:0", dk), ("dense_1/bias:0", db)])], keras_version="2.4.0")
    x, m = masked_inputs(5, T, F, 0.0)
    xd = x.astype(np.float64)
    y = np.concatenate([run_rnn("LSTM", lcfg, fw, xd, mask=m), run_rnn("LSTM", dict(lcfg, go_backwards=True), bw, xd, mask=m)], -1)
    save("masking_bidirectional_keras2", x, y @ dk + db)
    # 4. Embedding(mask_zero) -> SimpleRNN -> Dense
    V, E = 12, 4
    emb = w(V, E)
    rw = rnn_weights("SimpleRNN", E, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    rcfg = {"units": H, "activation": "tanh", "return_sequences": False}
    write_legacy_h5(os.path.join(HERE, "embedding_mask_zero_keras2.h5"), seq("masked_tokens", [
        layer("Embedding", "embedding_1", input_dim=V, output_dim=E, mask_zero=True, batch_input_shape=[None, None]),
        layer("SimpleRNN", "simple_rnn_1", **rcfg), layer("Dense", "dense_1", units=2, activation="linear")]),
        [("embedding_1", [("embedding_1/embeddings:0", emb)]), ("simple_rnn_1", rnn_names("simple_rnn_1", rw)),
         ("dense_1", [("dense_1/kernel:0", dk), ("dense_1/bias:0", db)])], keras_version="2.4.0")
    ids = rng.integers(1, V, size=(5, T)).astype(np.int64)
    ids[0, 3] = 0; ids[0, 4] = 0; ids[1, T - 2:] = 0; ids[2, 0] = 0; ids[4, :] = 0
    save("embedding_mask_zero_keras2", ids, run_rnn("SimpleRNN", rcfg, rw, emb.astype(np.float64)[ids], mask=ids != 0) @ dk + db)
    # 5. Masking(0) -> GRU(return_sequences) -> TimeDistributed(Dense): masked steps repeat the previous output
    gw = rnn_weights("GRU", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    scfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True, "reset_after": True}
    write_legacy_h5(os.path.join(HERE, "masking_gru_sequences_keras2.h5"), seq("masked_tagger", [
        layer("Masking", "masking_1", mask_value=0.0, batch_input_shape=[None, None, F]), layer("GRU", "gru_1", **scfg),
        {"class_name": "TimeDistributed", "config": {"name": "time_distributed_1", "layer": layer("Dense", "dense_1", units=2)}}]),
        [("masking_1", []), ("gru_1", rnn_names("gru_1", gw)),
         ("time_distributed_1", [("time_distributed_1/kernel:0", dk), ("time_distributed_1/bias:0", db)])], keras_version="2.4.0")
    x, m = masked_inputs(5, T, F, 0.0)
    save("masking_gru_sequences_keras2", x, run_rnn("GRU", scfg, gw, x.astype(np.float64), mask=m) @ dk + db)


def functional(name, layers, inp, out):
    return {"class_name": "Functional", "config": {"name": name, "layers": layers, "input_layers": [[inp, 0, 0]],
                                                   "output_layers": [[out, 0, 0]]}}


def node(cls, name, config, *inbound):
    """A Keras 2 functional layer entry; inbound: (layer, tensor index) pairs of one call."""
    return {"name": name, "class_name": cls, "config": dict(config, name=name),
            "inbound_nodes": [[[n, 0, i, {}] for n, i in inbound]] if inbound else []}


def bi_names(layer_name, inner, fw, bw):
    return [(f"{layer_name}/{d}_{inner}/{n}:0", a) for d, wl in (("forward", fw), ("backward", bw))
            for n, a in zip(("kernel", "recurrent_kernel", "bias"), wl)]


def keras2_flatten():
    """tf.keras 2.4 Sequential over a fixed length: LSTM(4, seq) on [None, 6, 3] -> Flatten -> Dense(2); and a Flatten over
    a dynamic time axis (refused)."""
    F, H, T = 3, 4, 6
    lw = rnn_weights("LSTM", F, H)
    dk, db = w(T * H, 2), w(2, scale=0.1)
    lcfg = {"units": H, "return_sequences": True, "recurrent_activation": "sigmoid", "batch_input_shape": [None, T, F]}
    config = {"class_name": "Sequential", "config": {"name": "flattened", "layers": [
        layer("LSTM", "lstm", **lcfg), layer("Flatten", "flatten", data_format="channels_last"),
        layer("Dense", "dense", units=2, activation="linear")]}}
    ws = [("lstm", [("lstm/lstm_cell/kernel:0", lw[0]), ("lstm/lstm_cell/recurrent_kernel:0", lw[1]),
                    ("lstm/lstm_cell/bias:0", lw[2])]), ("flatten", []), ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])]
    write_legacy_h5(os.path.join(HERE, "flatten_keras2.h5"), config, ws, keras_version="2.4.0")
    x = rng.standard_normal((4, T, F)).astype(np.float32)
    h = run_rnn("LSTM", lcfg, lw, x.astype(np.float64))
    save("flatten_keras2", x, h.reshape(4, T * H) @ dk + db)
    dynamic = json.loads(json.dumps(config))
    dynamic["config"]["layers"][0]["config"]["batch_input_shape"] = [None, None, F]
    write_legacy_h5(os.path.join(HERE, "bad", "flatten_dynamic.h5"), dynamic, ws, keras_version="2.4.0")


def write_bi_dense(file, merge, F, g, fw, bw, dk, db):
    """tf.keras 2.4 functional Input -> Bidirectional(GRU(**g), merge) -> Dense(2); returns the input node and the layers."""
    inp = node("InputLayer", "input_1", {"batch_input_shape": [None, None, F]})
    layers = [inp, node("Bidirectional", "bidirectional", {"merge_mode": merge, "layer": layer("GRU", "gru", **g)},
                        ("input_1", 0)),
              node("Dense", "dense", {"units": 2, "activation": "linear"}, ("bidirectional", 0))]
    write_legacy_h5(os.path.join(HERE, file), functional("backwards", layers, "input_1", "dense"),
                    [("input_1", []), ("bidirectional", bi_names("bidirectional", "gru", fw, bw)),
                     ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    return inp, layers


def keras2_bidirectional_variants():
    """tf.keras 2.4 functional: Bidirectional(GRU(go_backwards), ave) -> Dense; Bidirectional(LSTM, merge_mode None, seq)
    -> Concatenate([forward, backward]) -> Dense on every step; refused: merge_mode None as the output."""
    F, H, T = 3, 4, 7
    g = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True,
         "go_backwards": True}
    fw, bw = rnn_weights("GRU", F, H), rnn_weights("GRU", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    inp, layers = write_bi_dense("bidirectional_backwards_keras2.h5", "ave", F, g, fw, bw, dk, db)
    x = rng.standard_normal((4, T, F)).astype(np.float32)
    xd = x.astype(np.float64)
    # Keras: the forward layer is the wrapped one (go_backwards true), the backward layer its copy with go_backwards false
    y = (run_rnn("GRU", g, fw, xd) + run_rnn("GRU", dict(g, go_backwards=False), bw, xd)) / 2
    save("bidirectional_backwards_keras2", x, y @ dk + db)
    w(2 * H, 2)  # drawn as when a concat variant was written here (refused then; keras_bidirectional_edges has it now)
    # merge_mode None, then Concatenate of both outputs
    l = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    fw, bw = rnn_weights("LSTM", F, H), rnn_weights("LSTM", F, H)
    dk, db = w(2 * H, 2), w(2, scale=0.1)
    layers = [inp, node("Bidirectional", "bidirectional", {"merge_mode": None, "layer": layer("LSTM", "lstm", **l)},
                        ("input_1", 0)),
              node("Concatenate", "concatenate", {"axis": -1}, ("bidirectional", 0), ("bidirectional", 1)),
              node("Dense", "dense", {"units": 2, "activation": "linear"}, ("concatenate", 0))]
    ws = [("input_1", []), ("bidirectional", bi_names("bidirectional", "lstm", fw, bw)), ("concatenate", []),
          ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])]
    write_legacy_h5(os.path.join(HERE, "bidirectional_none_keras2.h5"), functional("two_outputs", layers, "input_1", "dense"), ws,
                    keras_version="2.4.0")
    x = rng.standard_normal((3, T, F)).astype(np.float32)
    xd = x.astype(np.float64)
    y = np.concatenate([run_rnn("LSTM", l, fw, xd), run_rnn("LSTM", dict(l, go_backwards=True), bw, xd)[:, ::-1, :]], -1)
    save("bidirectional_none_keras2", x, y @ dk + db)
    out = {"class_name": "Functional", "config": {"name": "two_outputs", "layers": layers[:2],
           "input_layers": [["input_1", 0, 0]], "output_layers": [["bidirectional", 0, 0], ["bidirectional", 0, 1]]}}
    write_legacy_h5(os.path.join(HERE, "bad", "bidirectional_none_outputs.h5"), out, ws[:2], keras_version="2.4.0")


def attention_model(h, score):
    """Self-attention of Keras's Attention / AdditiveAttention over h [B, T, d] with a score function of (q [B,T,1,d], k [B,1,T,d])."""
    a = act("softmax", score(h[:, :, None, :], h[:, None, :, :]))
    return a @ h


def keras2_scaled_attention():
    """tf.keras 2.4 functional: LSTM(seq) -> Attention(use_scale)([h, h]) -> GlobalAveragePooling1D -> Dense, and
    LSTM(seq) -> AdditiveAttention(use_scale)([h, h]) -> GlobalMaxPooling1D -> Dense."""
    F, H, T = 3, 4, 6
    lcfg = {"units": H, "return_sequences": True, "recurrent_activation": "sigmoid"}
    for kind, pool in (("Attention", "GlobalAveragePooling1D"), ("AdditiveAttention", "GlobalMaxPooling1D")):
        lw = rnn_weights("LSTM", F, H)
        scale = np.float32(1.7) if kind == "Attention" else (1 + w(H, scale=0.5))
        dk, db = w(H, 2), w(2, scale=0.1)
        an = "attention" if kind == "Attention" else "additive_attention"
        pn = "pooling"
        layers = [node("InputLayer", "input_1", {"batch_input_shape": [None, None, F]}),
                  node("LSTM", "lstm", lcfg, ("input_1", 0)),
                  node(kind, an, {"use_scale": True, "causal": False, "dropout": 0.0}, ("lstm", 0), ("lstm", 0)),
                  node(pool, pn, {"data_format": "channels_last"}, (an, 0)),
                  node("Dense", "dense", {"units": 2, "activation": "linear"}, (pn, 0))]
        name = "scaled_attention_keras2" if kind == "Attention" else "additive_attention_keras2"
        write_legacy_h5(os.path.join(HERE, name + ".h5"), functional(an, layers, "input_1", "dense"), [
            ("input_1", []), ("lstm", [("lstm/lstm_cell/kernel:0", lw[0]), ("lstm/lstm_cell/recurrent_kernel:0", lw[1]),
                                       ("lstm/lstm_cell/bias:0", lw[2])]),
            (an, [(an + "/scale:0", np.asarray(scale, dtype=np.float32))]), (pn, []),
            ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
        x = rng.standard_normal((3, T, F)).astype(np.float32)
        h = run_rnn("LSTM", lcfg, lw, x.astype(np.float64))
        if kind == "Attention":
            o = attention_model(h, lambda q, k: float(scale) * (q * k).sum(-1))
            y = o.mean(1)
        else:
            o = attention_model(h, lambda q, k: (scale.astype(np.float64) * np.tanh(q + k)).sum(-1))
            y = o.max(1)
        save(name, x, y @ dk + db)


def keras3_concat_attention_and_mask():
    """Keras 3 .keras: LSTM(seq) -> Attention(score_mode concat, use_scale)([h, h]) -> GlobalAveragePooling1D -> Dense;
    and a masked Keras 3 model: Masking(0) -> GRU -> Dense."""
    F, H, T = 3, 4, 6
    mod = "keras.layers"

    def call(name, n=1):
        t = {"class_name": "__keras_tensor__", "config": {"shape": [None, None, H], "dtype": "float32",
                                                         "keras_history": [name, 0, 0]}}
        return [{"args": [t] if n == 1 else [[t] * n], "kwargs": {}}]
    lw = rnn_weights("LSTM", F, H)
    scale, weight = np.float32(0.8), np.float32(1.3)
    dk, db = w(H, 2), w(2, scale=0.1)
    lcfg = {"units": H, "return_sequences": True, "activation": "tanh", "recurrent_activation": "sigmoid"}
    layers = [
        {"module": mod, "class_name": "InputLayer", "name": "inputs", "inbound_nodes": [],
         "config": {"batch_shape": [None, None, F], "dtype": "float32", "name": "inputs"}},
        {"module": mod, "class_name": "LSTM", "name": "lstm", "inbound_nodes": call("inputs"), "config": dict(lcfg, name="lstm")},
        {"module": mod, "class_name": "Attention", "name": "attention", "inbound_nodes": call("lstm", 2),
         "config": {"name": "attention", "use_scale": True, "score_mode": "concat", "dropout": 0.0}},
        {"module": mod, "class_name": "GlobalAveragePooling1D", "name": "pool", "inbound_nodes": call("attention"),
         "config": {"name": "pool", "data_format": "channels_last", "keepdims": False}},
        {"module": mod, "class_name": "Dense", "name": "dense", "inbound_nodes": call("pool"),
         "config": {"name": "dense", "units": 2, "activation": "linear"}}]
    config = {"module": "keras", "class_name": "Functional", "config": {"name": "concat_attention", "layers": layers,
              "input_layers": [["inputs", 0, 0]], "output_layers": [["dense", 0, 0]]}}
    buf = io.BytesIO()
    write_v3_weights(buf, [("lstm/cell", lw), ("attention", [np.asarray(scale), np.asarray(weight)]), ("dense", [dk, db])])
    with zipfile.ZipFile(os.path.join(HERE, "concat_attention_keras3.keras"), "w") as z:
        zwrite(z, "metadata.json", json.dumps({"keras_version": "3.3.3"}))
        zwrite(z, "config.json", json.dumps(config))
        zwrite(z, "model.weights.h5", buf.getvalue())
    x = rng.standard_normal((3, T, F)).astype(np.float32)
    h = run_rnn("LSTM", lcfg, lw, x.astype(np.float64), keras3=True)
    o = attention_model(h, lambda q, k: float(weight) * np.tanh(float(scale) * (q + k)).sum(-1))
    save("concat_attention_keras3", x, o.mean(1) @ dk + db)
    # masked Keras 3 Sequential
    gw = rnn_weights("GRU", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    g = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True}
    seq = {"module": "keras", "class_name": "Sequential", "config": {"name": "masked", "layers": [
        {"module": mod, "class_name": "InputLayer", "config": {"batch_shape": [None, None, F], "dtype": "float32",
                                                              "name": "input_layer"}},
        {"module": mod, "class_name": "Masking", "config": {"name": "masking", "mask_value": 0.0}},
        {"module": mod, "class_name": "GRU", "config": dict(g, name="gru")},
        {"module": mod, "class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "linear"}}]}}
    buf = io.BytesIO()
    write_v3_weights(buf, [("gru/cell", gw), ("dense", [dk, db])])
    with zipfile.ZipFile(os.path.join(HERE, "masking_gru_keras3.keras"), "w") as z:
        zwrite(z, "metadata.json", json.dumps({"keras_version": "3.3.3"}))
        zwrite(z, "config.json", json.dumps(seq))
        zwrite(z, "model.weights.h5", buf.getvalue())
    x, m = masked_inputs(5, T, F, 0.0)
    save("masking_gru_keras3", x, run_rnn("GRU", g, gw, x.astype(np.float64), keras3=True, mask=m) @ dk + db)


def keras2_masked_sine():
    """tf.keras 2.4 Sequential for fine-tuning on the sine task (one feature): Masking(0) -> LSTM(6) -> Dense(1)."""
    H = 6
    lw = rnn_weights("LSTM", 1, H)
    dk, db = w(H, 1), w(1, scale=0.1)
    lcfg = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False}
    write_legacy_h5(os.path.join(HERE, "masking_sine_keras2.h5"), {"class_name": "Sequential", "config": {
        "name": "masked_sine", "layers": [layer("Masking", "masking", mask_value=0.0, batch_input_shape=[None, None, 1]),
                                          layer("LSTM", "lstm", **lcfg), layer("Dense", "dense", units=1)]}},
        [("masking", []), ("lstm", [(f"lstm/{k}:0", a) for k, a in zip(("kernel", "recurrent_kernel", "bias"), lw)]),
         ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    x, m = masked_inputs(5, 8, 1, 0.0)
    save("masking_sine_keras2", x, run_rnn("LSTM", lcfg, lw, x.astype(np.float64), mask=m) @ dk + db)


def keras2_masked_stacks():
    """tf.keras 2.4: the mask read by stacked recurrent layers. Masking(0) -> LSTM(5, seq) -> Dense(4, tanh) -> GRU(4, seq)
    -> Bidirectional(SimpleRNN(3), concat) -> Dense(2); and Masking(0) -> GRU(5, seq) -> LSTM(4, seq) -> TimeDistributed(Dense(2))."""
    F, T = 3, 8
    seq = lambda name, layers: {"class_name": "Sequential", "config": {"name": name, "layers": layers}}
    names = lambda n, ws: [(f"{n}/{k}:0", a) for k, a in zip(("kernel", "recurrent_kernel", "bias"), ws)]
    c1 = {"units": 5, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    c2 = {"units": 4, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True, "reset_after": True}
    c3 = {"units": 3, "activation": "tanh", "return_sequences": False}
    lw, pk, pb, gw = rnn_weights("LSTM", F, 5), w(5, 4), w(4, scale=0.1), rnn_weights("GRU", 4, 4)
    fw, bw = rnn_weights("SimpleRNN", 4, 3), rnn_weights("SimpleRNN", 4, 3)
    dk, db = w(6, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_stacked_keras2.h5"), seq("masked_stack", [
        layer("Masking", "masking", mask_value=0.0, batch_input_shape=[None, None, F]), layer("LSTM", "lstm", **c1),
        layer("Dense", "dense_1", units=4, activation="tanh"), layer("GRU", "gru", **c2),
        {"class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": "concat",
                                                   "layer": layer("SimpleRNN", "simple_rnn", **c3)}},
        layer("Dense", "dense_2", units=2)]),
        [("masking", []), ("lstm", names("lstm", lw)), ("dense_1", [("dense_1/kernel:0", pk), ("dense_1/bias:0", pb)]),
         ("gru", names("gru", gw)), ("bidirectional", bi_names("bidirectional", "simple_rnn", fw, bw)),
         ("dense_2", [("dense_2/kernel:0", dk), ("dense_2/bias:0", db)])], keras_version="2.4.0")
    x, m = masked_inputs(5, T, F, 0.0)
    h = run_rnn("LSTM", c1, lw, x.astype(np.float64), mask=m)
    h = run_rnn("GRU", c2, gw, np.tanh(h @ pk + pb), mask=m)
    y = np.concatenate([run_rnn("SimpleRNN", c3, fw, h, mask=m), run_rnn("SimpleRNN", dict(c3, go_backwards=True), bw, h, mask=m)], -1)
    save("masking_stacked_keras2", x, y @ dk + db)
    s1 = {"units": 5, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True, "reset_after": True}
    s2 = {"units": 4, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    gw, lw = rnn_weights("GRU", F, 5), rnn_weights("LSTM", 5, 4)
    dk, db = w(4, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_stacked_sequences_keras2.h5"), seq("masked_stacked_tagger", [
        layer("Masking", "masking", mask_value=0.0, batch_input_shape=[None, None, F]), layer("GRU", "gru", **s1),
        layer("LSTM", "lstm", **s2),
        {"class_name": "TimeDistributed", "config": {"name": "time_distributed", "layer": layer("Dense", "dense", units=2)}}]),
        [("masking", []), ("gru", names("gru", gw)), ("lstm", names("lstm", lw)),
         ("time_distributed", [("time_distributed/kernel:0", dk), ("time_distributed/bias:0", db)])], keras_version="2.4.0")
    x, m = masked_inputs(5, T, F, 0.0)
    h = run_rnn("LSTM", s2, lw, run_rnn("GRU", s1, gw, x.astype(np.float64), mask=m), mask=m)
    save("masking_stacked_sequences_keras2", x, h @ dk + db)


def keras2_masked_sequence_outputs():
    """tf.keras 2.4 masked sequence outputs: Masking(0) -> Bidirectional(GRU, concat, seq) -> TimeDistributed(Dense(2)),
    and Masking(0) -> LSTM(go_backwards, seq) -> Dense(2) on every step."""
    F, H, T = 3, 4, 8
    seq = lambda name, layers: {"class_name": "Sequential", "config": {"name": name, "layers": layers}}
    g = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True, "reset_after": True}
    fw, bw = rnn_weights("GRU", F, H), rnn_weights("GRU", F, H)
    dk, db = w(2 * H, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_bidirectional_sequences_keras2.h5"), seq("masked_bi_tagger", [
        layer("Masking", "masking", mask_value=0.0, batch_input_shape=[None, None, F]),
        {"class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": "concat", "layer": layer("GRU", "gru", **g)}},
        {"class_name": "TimeDistributed", "config": {"name": "time_distributed", "layer": layer("Dense", "dense", units=2)}}]),
        [("masking", []), ("bidirectional", bi_names("bidirectional", "gru", fw, bw)),
         ("time_distributed", [("time_distributed/kernel:0", dk), ("time_distributed/bias:0", db)])], keras_version="2.4.0")
    x, m = masked_inputs(5, T, F, 0.0)
    xd = x.astype(np.float64)
    y = run_bidirectional("GRU", g, fw, bw, xd, "concat", mask=m)  # masked steps zero in both halves
    save("masking_bidirectional_sequences_keras2", x, y @ dk + db)
    l = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True, "go_backwards": True}
    lw = rnn_weights("LSTM", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_backwards_sequences_keras2.h5"), seq("masked_backwards_tagger", [
        layer("Masking", "masking", mask_value=0.0, batch_input_shape=[None, None, F]), layer("LSTM", "lstm", **l),
        layer("Dense", "dense", units=2)]),
        [("masking", []), ("lstm", [(f"lstm/{k}:0", a) for k, a in zip(("kernel", "recurrent_kernel", "bias"), lw)]),
         ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    x, m = masked_inputs(5, T, F, 0.0)
    save("masking_backwards_sequences_keras2", x, run_rnn("LSTM", l, lw, x.astype(np.float64), mask=m) @ dk + db)


def keras_bidirectional_edges():
    """Bidirectional around a go_backwards layer (concat, and sequences: Keras's halves come out swapped and the sequence
    in reverse time order) and masked Bidirectional sequences merged by sum / mul / ave (masked steps are zero in both
    halves), each computed by run_bidirectional from Keras's source.
    - tf.keras 2.4 Sequential: Bidirectional(LSTM(go_backwards, seq), concat) -> TimeDistributed(Dense(2));
    - tf.keras 2.4 functional: Bidirectional(GRU(go_backwards), concat) -> Dense(2) (the last output);
    - tf.keras 2.4 Sequential: Masking(0) -> Bidirectional(GRU(seq), sum) -> TimeDistributed(Dense(2));
    - tf.keras 2.4 Sequential: Masking(0) -> Bidirectional(LSTM(go_backwards, seq), mul) -> Dense(2) on every step;
    - Keras 3 .keras Sequential: Masking(0) -> Bidirectional(SimpleRNN(go_backwards, seq), ave, backward_layer recorded with
      go_backwards false) -> TimeDistributed(Dense(2));
    - tf.keras 2.4 Sequential: Masking(0) -> Bidirectional(GRU(seq), sum) -> TimeDistributed(Dense(3, softmax)) on one feature."""
    F, H, T = 3, 4, 8
    seq = lambda name, layers: {"class_name": "Sequential", "config": {"name": name, "layers": layers}}
    td = {"class_name": "TimeDistributed", "config": {"name": "time_distributed", "layer": layer("Dense", "dense", units=2)}}
    td_names = lambda dk, db: ("time_distributed", [("time_distributed/kernel:0", dk), ("time_distributed/bias:0", db)])
    # 1. go_backwards, concat, sequences (no mask)
    l = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True, "go_backwards": True}
    fw, bw = rnn_weights("LSTM", F, H), rnn_weights("LSTM", F, H)
    dk, db = w(2 * H, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "bidirectional_backwards_sequences_keras2.h5"), seq("backwards_tagger", [
        {"class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": "concat",
                                                   "layer": layer("LSTM", "lstm", **l), "batch_input_shape": [None, None, F]}},
        td]), [("bidirectional", bi_names("bidirectional", "lstm", fw, bw)), td_names(dk, db)], keras_version="2.4.0")
    x = rng.standard_normal((3, T, F)).astype(np.float32)
    save("bidirectional_backwards_sequences_keras2", x, run_bidirectional("LSTM", l, fw, bw, x.astype(np.float64), "concat") @ dk + db)
    # 2. go_backwards, concat, last output
    g = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": False, "reset_after": True,
         "go_backwards": True}
    fw, bw = rnn_weights("GRU", F, H), rnn_weights("GRU", F, H)
    dk, db = w(2 * H, 2), w(2, scale=0.1)
    write_bi_dense("bidirectional_backwards_concat_keras2.h5", "concat", F, g, fw, bw, dk, db)
    x = rng.standard_normal((3, T, F)).astype(np.float32)
    save("bidirectional_backwards_concat_keras2", x, run_bidirectional("GRU", g, fw, bw, x.astype(np.float64), "concat") @ dk + db)
    # 3. masked, sum, sequences
    g = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True, "reset_after": True}
    fw, bw = rnn_weights("GRU", F, H), rnn_weights("GRU", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_bidirectional_sum_keras2.h5"), seq("masked_sum_tagger", [
        layer("Masking", "masking", mask_value=0.0, batch_input_shape=[None, None, F]),
        {"class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": "sum", "layer": layer("GRU", "gru", **g)}},
        td]), [("masking", []), ("bidirectional", bi_names("bidirectional", "gru", fw, bw)), td_names(dk, db)],
        keras_version="2.4.0")
    x, m = masked_inputs(5, T, F, 0.0)
    save("masking_bidirectional_sum_keras2", x, run_bidirectional("GRU", g, fw, bw, x.astype(np.float64), "sum", mask=m) @ dk + db)
    # 4. masked, go_backwards, mul, sequences, Dense on every step
    l = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True, "go_backwards": True}
    fw, bw = rnn_weights("LSTM", F, H), rnn_weights("LSTM", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_bidirectional_backwards_keras2.h5"), seq("masked_backwards_mul", [
        layer("Masking", "masking", mask_value=0.0, batch_input_shape=[None, None, F]),
        {"class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": "mul", "layer": layer("LSTM", "lstm", **l)}},
        layer("Dense", "dense", units=2)]),
        [("masking", []), ("bidirectional", bi_names("bidirectional", "lstm", fw, bw)),
         ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    x, m = masked_inputs(5, T, F, 0.0)
    save("masking_bidirectional_backwards_keras2", x,
         run_bidirectional("LSTM", l, fw, bw, x.astype(np.float64), "mul", mask=m) @ dk + db)
    # 5. Keras 3 .keras: masked, go_backwards SimpleRNN, ave, sequences; the backward_layer config recorded
    mod = "keras.layers"
    r = {"units": H, "activation": "tanh", "return_sequences": True, "go_backwards": True, "use_bias": True}
    fw, bw = rnn_weights("SimpleRNN", F, H), rnn_weights("SimpleRNN", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    cfg = {"module": "keras", "class_name": "Sequential", "config": {"name": "masked_backwards_ave", "layers": [
        {"module": mod, "class_name": "InputLayer", "config": {"batch_shape": [None, None, F], "dtype": "float32",
                                                              "name": "input_layer"}},
        {"module": mod, "class_name": "Masking", "config": {"name": "masking", "mask_value": 0.0}},
        {"module": mod, "class_name": "Bidirectional", "config": {
            "name": "bidirectional", "merge_mode": "ave",
            "layer": {"module": mod, "class_name": "SimpleRNN", "config": dict(r, name="forward_simple_rnn")},
            "backward_layer": {"module": mod, "class_name": "SimpleRNN",
                               "config": dict(r, name="backward_simple_rnn", go_backwards=False)}}},
        {"module": mod, "class_name": "TimeDistributed", "config": {"name": "time_distributed", "layer": {
            "module": mod, "class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "linear"}}}}]}}
    buf = io.BytesIO()
    write_v3_weights(buf, [("bidirectional/forward_layer/cell", fw), ("bidirectional/backward_layer/cell", bw),
                           ("time_distributed/layer", [dk, db])])
    write_keras3_zip(os.path.join(HERE, "masking_bidirectional_backwards_keras3.keras"), cfg, buf)
    x, m = masked_inputs(5, T, F, 0.0)
    save("masking_bidirectional_backwards_keras3", x,
         run_bidirectional("SimpleRNN", r, fw, bw, x.astype(np.float64), "ave", mask=m, keras3=True) @ dk + db)
    # refused: a backward_layer configured unlike the layer (Keras allows a custom one; rnnx runs one config both ways)
    other = json.loads(json.dumps(cfg))
    other["config"]["layers"][2]["config"]["backward_layer"]["config"]["activation"] = "relu"
    write_keras3_zip(os.path.join(HERE, "bad", "bidirectional_backward_layer.keras"), other, buf)
    # 6. for fine-tuning on the context tagging task (one feature, three classes), by cli.ImportCommandTest:
    #    tf.keras 2.4 Masking(0) -> Bidirectional(GRU(6, seq), sum) -> TimeDistributed(Dense(3, softmax))
    g = {"units": 6, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True, "reset_after": True}
    fw, bw = rnn_weights("GRU", 1, 6), rnn_weights("GRU", 1, 6)
    dk, db = w(6, 3), w(3, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_tagger_keras2.h5"), seq("masked_context_tagger", [
        layer("Masking", "masking", mask_value=0.0, batch_input_shape=[None, None, 1]),
        {"class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": "sum", "layer": layer("GRU", "gru", **g)}},
        {"class_name": "TimeDistributed", "config": {"name": "time_distributed",
                                                     "layer": layer("Dense", "dense", units=3, activation="softmax")}}]),
        [("masking", []), ("bidirectional", bi_names("bidirectional", "gru", fw, bw)), td_names(dk, db)], keras_version="2.4.0")
    x, m = masked_inputs(5, T, 1, 0.0)
    save("masking_tagger_keras2", x, act("softmax", run_bidirectional("GRU", g, fw, bw, x.astype(np.float64), "sum", mask=m) @ dk + db))


def keras2_masked_pooling():
    """tf.keras 2.4 masked pooling. GlobalAveragePooling1D reads the mask, sum(x * mask) / sum(mask) over the steps
    (keras/layers/pooling/global_average_pooling1d.py); GlobalMaxPooling1D ignores it (the max over every step of the
    sequence as the recurrent layer returns it: a masked step repeats the previous output, zeros before the first).
    Embedding(mask_zero) -> TimeDistributed(Dense(4, tanh)) -> GlobalAveragePooling1D -> Dense(2, softmax);
    Masking(0) -> LSTM(seq) -> GlobalAveragePooling1D -> Dense(2); Masking(0) -> Bidirectional(GRU, concat, seq)
    -> GlobalAveragePooling1D -> Dense(2); Masking(0) -> GRU(seq) -> GlobalMaxPooling1D -> Dense(2).
    No input row is masked at every step (Keras gives 0/0 = NaN there; rnnx gives zeros, docs/IMPORT.md)."""
    F, H, T, V, E = 3, 4, 8, 12, 5
    seq = lambda name, layers: {"class_name": "Sequential", "config": {"name": name, "layers": layers}}
    gap = layer("GlobalAveragePooling1D", "global_average_pooling1d", data_format="channels_last")
    mean = lambda y, m: (y * m[:, :, None]).sum(1) / m.sum(1, keepdims=True)

    def inputs(value):
        x, m = masked_inputs(5, T, F, value)
        x[4, 5, :] = rng.standard_normal(F).astype(np.float32)  # one unmasked step in the last row
        return x, ~np.all(x == np.float32(value), axis=-1)
    emb, pk, pb = w(V, E), w(E, 4), w(4, scale=0.1)
    dk, db = w(4, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_average_tokens_keras2.h5"), seq("masked_bag", [
        layer("Embedding", "embedding", input_dim=V, output_dim=E, mask_zero=True, batch_input_shape=[None, None]),
        {"class_name": "TimeDistributed", "config": {"name": "time_distributed",
                                                     "layer": layer("Dense", "dense", units=4, activation="tanh")}},
        gap, layer("Dense", "dense_1", units=2, activation="softmax")]),
        [("embedding", [("embedding/embeddings:0", emb)]),
         ("time_distributed", [("time_distributed/kernel:0", pk), ("time_distributed/bias:0", pb)]),
         ("global_average_pooling1d", []), ("dense_1", [("dense_1/kernel:0", dk), ("dense_1/bias:0", db)])],
        keras_version="2.4.0")
    ids = rng.integers(1, V, size=(5, T)).astype(np.int64)
    ids[0, 3] = 0; ids[0, 4] = 0; ids[1, T - 2:] = 0; ids[2, 0] = 0; ids[2, T - 1] = 0; ids[4, :] = 0; ids[4, 2] = 7
    p = np.tanh(emb.astype(np.float64)[ids] @ pk + pb)
    save("masking_average_tokens_keras2", ids, act("softmax", mean(p, (ids != 0).astype(np.float64)) @ dk + db))
    rnn = lambda n, ws: [(f"{n}/{k}:0", a) for k, a in zip(("kernel", "recurrent_kernel", "bias"), ws)]
    l = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True}
    lw = rnn_weights("LSTM", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_average_lstm_keras2.h5"), seq("masked_average", [
        layer("Masking", "masking", mask_value=0.0, batch_input_shape=[None, None, F]), layer("LSTM", "lstm", **l), gap,
        layer("Dense", "dense", units=2)]),
        [("masking", []), ("lstm", rnn("lstm", lw)), ("global_average_pooling1d", []),
         ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    x, m = inputs(0.0)
    y = run_rnn("LSTM", l, lw, x.astype(np.float64), mask=m)
    save("masking_average_lstm_keras2", x, mean(y, m.astype(np.float64)) @ dk + db)
    g = {"units": H, "activation": "tanh", "recurrent_activation": "sigmoid", "return_sequences": True, "reset_after": True}
    fw, bw = rnn_weights("GRU", F, H), rnn_weights("GRU", F, H)
    dk, db = w(2 * H, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_average_bidirectional_keras2.h5"), seq("masked_bi_average", [
        layer("Masking", "masking", mask_value=0.0, batch_input_shape=[None, None, F]),
        {"class_name": "Bidirectional", "config": {"name": "bidirectional", "merge_mode": "concat", "layer": layer("GRU", "gru", **g)}},
        gap, layer("Dense", "dense", units=2)]),
        [("masking", []), ("bidirectional", bi_names("bidirectional", "gru", fw, bw)), ("global_average_pooling1d", []),
         ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    x, m = inputs(0.0)
    y = run_bidirectional("GRU", g, fw, bw, x.astype(np.float64), "concat", mask=m)
    save("masking_average_bidirectional_keras2", x, mean(y, m.astype(np.float64)) @ dk + db)
    gw = rnn_weights("GRU", F, H)
    dk, db = w(H, 2), w(2, scale=0.1)
    write_legacy_h5(os.path.join(HERE, "masking_max_gru_keras2.h5"), seq("masked_max", [
        layer("Masking", "masking", mask_value=0.0, batch_input_shape=[None, None, F]), layer("GRU", "gru", **g),
        layer("GlobalMaxPooling1D", "global_max_pooling1d", data_format="channels_last"), layer("Dense", "dense", units=2)]),
        [("masking", []), ("gru", rnn("gru", gw)), ("global_max_pooling1d", []),
         ("dense", [("dense/kernel:0", dk), ("dense/bias:0", db)])], keras_version="2.4.0")
    x, m = inputs(0.0)
    save("masking_max_gru_keras2", x, run_rnn("GRU", g, gw, x.astype(np.float64), mask=m).max(1) @ dk + db)


if __name__ == "__main__":
    keras2_gru_tagger()
    keras2_bidirectional()
    keras2_embedding()
    keras3_lstm()
    bad_files()
    keras3_functional()
    keras2_dense_on_sequence()
    keras2_max_pooling()
    keras2_self_attention()
    keras2_dot_attention()
    keras2_masked()
    keras2_flatten()
    keras2_bidirectional_variants()
    keras2_scaled_attention()
    keras3_concat_attention_and_mask()
    keras2_masked_sine()
    keras2_masked_stacks()
    keras2_masked_sequence_outputs()
    keras_bidirectional_edges()
    keras2_masked_pooling()
