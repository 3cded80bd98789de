"""Writes torch_lstm.onnx beside this script: a PyTorch LSTM (input 3, hidden 5, batch_first) with a
Linear head, exported by torch.onnx as PyTorch writes it (Transpose, LSTM with W/R/B initializers in
ONNX gate order i, o, f, c, Squeeze, MatMul, Add). The fixture of LocaliseAnyGraphTest, which scales
the LSTM's recurrence weights R by 1.01 in a copy and checks that verify catches and localises it.

Run with Debian's python3-torch (1.13): /usr/bin/python3 make_fixture.py
"""
import os

import torch

torch.manual_seed(0)


class Tagger(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(3, 5, batch_first=True)
        self.head = torch.nn.Linear(5, 2)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.head(y)


model = Tagger().eval()
here = os.path.dirname(os.path.abspath(__file__))
torch.onnx.export(model, (torch.randn(2, 6, 3),), os.path.join(here, "torch_lstm.onnx"), input_names=["x"],
                  output_names=["y"], opset_version=14,
                  dynamic_axes={"x": {0: "batch", 1: "time"}, "y": {0: "batch", 1: "time"}})
