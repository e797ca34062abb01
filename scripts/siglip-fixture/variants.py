"""Write the *_fp16.onnx and *_quantized.onnx variants next to the fp32 exports, using only python3-onnx.

No onnxruntime / onnxconverter-common Python package is available here, so both passes are written out:
  * fp16: every float32 initializer / Constant / ConstantOfShape value becomes float16, Cast(to=float)
    becomes Cast(to=float16); float32 graph inputs get a Cast to float16 and float32 graph outputs a Cast
    back, so inputs and outputs stay float32 (like transformers.js' fp16 files made with keep_io_types).
  * quantized (q8): ONNX Runtime's dynamic uint8 scheme for MatMul with a constant weight:
    DynamicQuantizeLinear(x) -> MatMulInteger(xq, wq, x_zp, w_zp) -> Cast(float) -> Mul(x_scale * w_scale),
    weights quantized per tensor, asymmetric uint8. Conv, Gemm and Gather stay float32.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ONNX_DIR = os.path.join(HERE, "..", "..", "e2e", "fixtures", "tiny-random-siglip", "onnx")
F32, F16 = TensorProto.FLOAT, TensorProto.FLOAT16


def _to16(t):
    arr = numpy_helper.to_array(t).astype(np.float16)
    return numpy_helper.from_array(arr, t.name)


def to_fp16(model):
    g = model.graph
    for i, init in enumerate(g.initializer):
        if init.data_type == F32:
            g.initializer[i].CopyFrom(_to16(init))
    for node in g.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.TENSOR and attr.t.data_type == F32:
                attr.t.CopyFrom(_to16(attr.t))
            if node.op_type == "Cast" and attr.name == "to" and attr.i == F32:
                attr.i = F16
    new_nodes = []
    for inp in g.input:
        if inp.type.tensor_type.elem_type == F32:
            cast_out = inp.name + "_fp16"
            for node in g.node:
                for k, name in enumerate(node.input):
                    if name == inp.name:
                        node.input[k] = cast_out
            new_nodes.append(helper.make_node("Cast", [inp.name], [cast_out], to=F16, name=inp.name + "_cast_in"))
    tail = []
    for out in g.output:
        if out.type.tensor_type.elem_type == F32:
            inner = out.name + "_fp16"
            for node in g.node:
                for k, name in enumerate(node.output):
                    if name == out.name:
                        node.output[k] = inner
                for k, name in enumerate(node.input):
                    if name == out.name:
                        node.input[k] = inner
            tail.append(helper.make_node("Cast", [inner], [out.name], to=F32, name=out.name + "_cast_out"))
    nodes = new_nodes + list(g.node) + tail
    del g.node[:]
    g.node.extend(nodes)
    del g.value_info[:]
    return model


def quantize_dynamic_u8(model):
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    consumers = {}
    for node in g.node:
        for name in node.input:
            consumers[name] = consumers.get(name, 0) + 1
    nodes, new_inits, quantized = [], [], set()
    for node in g.node:
        if node.op_type != "MatMul" or node.input[1] not in inits:
            nodes.append(node)
            continue
        x, wname = node.input
        w = numpy_helper.to_array(inits[wname]).astype(np.float32)
        rmin, rmax = min(float(w.min()), 0.0), max(float(w.max()), 0.0)
        w_scale = (rmax - rmin) / 255.0 if rmax > rmin else 1.0
        w_zp = int(np.clip(round(-rmin / w_scale), 0, 255))
        wq = np.clip(np.round(w / w_scale) + w_zp, 0, 255).astype(np.uint8)
        base = node.name or (wname + "_mm")
        new_inits += [numpy_helper.from_array(wq, wname + "_quantized"),
                      numpy_helper.from_array(np.array(w_scale, dtype=np.float32), wname + "_scale"),
                      numpy_helper.from_array(np.array(w_zp, dtype=np.uint8), wname + "_zero_point")]
        quantized.add(wname)
        xq, xs, xzp = x + "_quantized", x + "_scale", x + "_zero_point"
        nodes += [
            helper.make_node("DynamicQuantizeLinear", [x], [xq + "_" + base, xs + "_" + base, xzp + "_" + base],
                             name=base + "_QuantizeLinear"),
            helper.make_node("MatMulInteger", [xq + "_" + base, wname + "_quantized", xzp + "_" + base,
                                               wname + "_zero_point"], [base + "_output_quantized"],
                             name=base + "_quant"),
            helper.make_node("Mul", [xs + "_" + base, wname + "_scale"], [base + "_scales_mul"],
                             name=base + "_scales_mul"),
            helper.make_node("Cast", [base + "_output_quantized"], [base + "_output_quantized_cast"], to=F32,
                             name=base + "_output_quantized_cast"),
            helper.make_node("Mul", [base + "_output_quantized_cast", base + "_scales_mul"], [node.output[0]],
                             name=base + "_output_quantized_mul"),
        ]
    keep = [t for t in g.initializer if not (t.name in quantized and consumers.get(t.name, 0) <= 1)]
    del g.initializer[:]
    g.initializer.extend(keep + new_inits)
    del g.node[:]
    g.node.extend(nodes)
    del g.value_info[:]
    if not any(o.domain in ("", "ai.onnx") and o.version >= 10 for o in model.opset_import):
        raise RuntimeError("needs opset >= 10")
    return model


def main():
    for name in ["text_model", "vision_model", "model"]:
        src = os.path.join(ONNX_DIR, name + ".onnx")
        m16 = to_fp16(onnx.load(src))
        onnx.checker.check_model(m16)
        onnx.save(m16, os.path.join(ONNX_DIR, name + "_fp16.onnx"))
        mq = quantize_dynamic_u8(onnx.load(src))
        onnx.checker.check_model(mq)
        onnx.save(mq, os.path.join(ONNX_DIR, name + "_quantized.onnx"))
        print(name, "fp16", os.path.getsize(os.path.join(ONNX_DIR, name + "_fp16.onnx")),
              "quantized", os.path.getsize(os.path.join(ONNX_DIR, name + "_quantized.onnx")))


if __name__ == "__main__":
    main()
