#!/usr/bin/env python3
"""streamvl's model code against the PyTorch implementations, on the same weights and the same input.

Cases:
- four tiny LLaMA bundles written by streamvl's own code (seeded random weights: GQA/MHA, tied/untied
  head, llama3 rope scaling): last-position logits against transformers' LlamaForCausalLM;
- the shipped shapes bundle: its language model against LlamaForCausalLM, its vision tower (selected
  layer, CLS dropped) against transformers' CLIPVisionModel, and its LLaVA-Mini compressor against a
  PyTorch Resampler written from the paper's code (torch's MultiheadAttention, bicubic interpolate).

Two steps, so that they can run on different machines:
  hf-parity.py prepare --streamvl-classpath CP --out DIR   # java: bundles and streamvl's outputs
  hf-parity.py compare --dir DIR [--device cpu|cuda]       # torch + transformers
  hf-parity.py all --streamvl-classpath CP --out DIR       # both (scripts/gpu-check.sh)
compare prints one line per case and a JSON summary, and exits 1 when a case's largest difference
exceeds TOLERANCE times its largest |value| (or TOLERANCE itself, for values below 1).
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys

LLAMA_CASES = ["gqa-untied", "mha-tied", "gqa-llama3", "mha-tied-llama3-wide-heads"]
IDS = [1, 17, 42, 5, 99, 3, 64]
TOLERANCE = 1e-4
SHIPPED = "shipped"
VISION_PREFIX = "model.vision_tower.vision_tower."
COMPRESSOR_PREFIX = "model.compressor."


def streamvl(cp, *args):
    env = dict(os.environ, OPT_OUT_TRACKING="true")
    return subprocess.run(["java", "-Dai.djl.offline=true", "-cp", cp, "io.streamvl.jobs.cli.StreamvlCli", *args],
                          check=True, capture_output=True, text=True, env=env).stdout


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f)


def prepare(cp, out, shipped_bundle):
    os.makedirs(out, exist_ok=True)
    for name in LLAMA_CASES:
        bundle = os.path.join(out, "llama-" + name)
        streamvl(cp, "model", "write-tiny", "--config", name, "--out", bundle)
        write_json(bundle + ".json", json.loads(streamvl(cp, "model", "logits", "--bundle", bundle,
                                                         "--ids", ",".join(map(str, IDS)), "--json")))
    shipped = os.path.join(out, SHIPPED)
    shutil.rmtree(shipped, ignore_errors=True)
    shutil.copytree(shipped_bundle, shipped)
    vocab = json.load(open(os.path.join(shipped, "config.json")))["vocab_size"]
    ids = ",".join(str(i % vocab) for i in IDS)
    write_json(shipped + "-logits.json", json.loads(streamvl(cp, "model", "logits", "--bundle", shipped,
                                                             "--ids", ids, "--json")))
    videos = os.path.join(out, "video")
    streamvl(cp, "shapes", "generate", "--out", videos, "--videos", "1", "--seed", "11")
    video = next(os.path.join(videos, f) for f in sorted(os.listdir(videos)) if f.endswith(".mp4"))
    write_json(shipped + "-vision.json", json.loads(streamvl(cp, "model", "vision", "--bundle", shipped,
                                                             "--image", video, "--json", "--pixels")))
    print("prepared", out)


def compare(directory, device):
    import torch
    from safetensors.torch import load_file
    from transformers import CLIPVisionConfig, CLIPVisionModel, LlamaConfig, LlamaForCausalLM

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    results = {}

    def record(name, ours, theirs):
        ours = torch.tensor(ours, dtype=torch.float32).flatten()
        theirs = theirs.detach().float().cpu().flatten()
        if ours.shape != theirs.shape:
            raise SystemExit(f"{name}: streamvl gave {tuple(ours.shape)} values, PyTorch {tuple(theirs.shape)}")
        diff = (ours - theirs).abs().max().item()
        scale = theirs.abs().max().item()
        results[name] = {"max_abs_diff": diff, "scale": scale, "relative": diff / max(1.0, scale)}
        print(f"{name}: max |diff| = {diff:.3g} over {ours.numel()} values (largest |value| {scale:.3g})")

    def logits(model, ids):
        with torch.no_grad():
            return model.to(device).eval()(torch.tensor([ids], device=device)).logits[0, -1]

    for name in LLAMA_CASES:
        bundle = os.path.join(directory, "llama-" + name)
        ours = json.load(open(bundle + ".json"))
        model = LlamaForCausalLM.from_pretrained(bundle, dtype=torch.float32)
        record("llama " + name, ours["logits"], logits(model, ours["ids"]))

    shipped = os.path.join(directory, SHIPPED)
    config = json.load(open(os.path.join(shipped, "config.json")))
    weights = load_file(os.path.join(shipped, "model.safetensors"))

    text = {k: v for k, v in config.items() if k not in ("vision_config", "architectures", "model_type")
            and not k.startswith(("mm_", "compressor_", "prefusion_", "resolution_"))}
    llm = LlamaForCausalLM(LlamaConfig(**text))
    llm_weights = {k: v for k, v in weights.items()
                   if k.startswith(("model.layers.", "model.embed_tokens.", "model.norm.", "lm_head."))}
    llm.load_state_dict(llm_weights, strict=True)
    ours = json.load(open(shipped + "-logits.json"))
    record("shipped language model", ours["logits"], logits(llm, ours["ids"]))

    vision_config = CLIPVisionConfig(**{k: v for k, v in config["vision_config"].items()
                                        if k not in ("architectures", "model_type")})
    tower = CLIPVisionModel(vision_config)
    # LLaVA towers end at the selected layer's hidden state: the post-layernorm is neither stored nor used
    load_exactly(tower, {k[len(VISION_PREFIX):]: v for k, v in weights.items() if k.startswith(VISION_PREFIX)},
                 "post_layernorm.")
    tower = tower.to(device).eval()
    ours = json.load(open(shipped + "-vision.json"))
    size = vision_config.image_size
    pixels = torch.tensor(ours["pixels"]).reshape(1, size, size, 3).permute(0, 3, 1, 2).to(device)
    with torch.no_grad():
        selected = tower(pixel_values=pixels, output_hidden_states=True).hidden_states[
            config["mm_vision_select_layer"]][:, 1:]
    record("shipped vision tower", ours["features"], selected[0])

    compressor = Resampler(torch, config["compressor_size"], vision_config.hidden_size,
                           config["compressor_num_heads"])
    load_exactly(compressor, {k[len(COMPRESSOR_PREFIX):]: v for k, v in weights.items()
                              if k.startswith(COMPRESSOR_PREFIX)}, "pos_embed")
    with torch.no_grad():
        compressed = compressor.to(device).eval()(selected)
    record("shipped compressor", ours["compressed"], compressed[0])

    worst = max(r["relative"] for r in results.values())
    print(json.dumps({"device": device, "torch": torch.__version__,
                      "transformers": __import__("transformers").__version__,
                      "cases": results, "worst_relative": worst, "tolerance": TOLERANCE}))
    return 0 if worst <= TOLERANCE else 1


def load_exactly(module, state, computed):
    """Every weight of the bundle used, every parameter filled except those whose name holds computed."""
    own = module.state_dict().keys()
    # transformers 5 dropped CLIPVisionModel's "vision_model." level that 4.x and the bundles have
    state = {k if k in own else k.split(".", 1)[1]: v for k, v in state.items()}
    missing, unexpected = module.load_state_dict(state, strict=False)
    missing = [k for k in missing if computed not in k]
    if missing or unexpected:
        raise SystemExit(f"{type(module).__name__}: missing {missing}, unexpected {unexpected}")


def sincos_2d(grid, dim):
    """MAE's fixed 2-D sin-cos table, [grid*grid, dim]: the first half encodes the column, the second the row."""
    import numpy as np

    def one_axis(positions, d):
        omega = 1.0 / 10000 ** (np.arange(d // 2, dtype=np.float64) / (d / 2.0))
        angles = np.outer(positions.reshape(-1), omega)
        return np.concatenate([np.sin(angles), np.cos(angles)], axis=1)

    columns, rows = np.meshgrid(np.arange(grid, dtype=np.float32), np.arange(grid, dtype=np.float32))
    return np.concatenate([one_axis(columns, dim // 2), one_axis(rows, dim // 2)], axis=1).astype(np.float32)


def Resampler(torch, grid, dim, heads):
    """LLaVA-Mini's compressor: grid² learned queries, one cross-attention, no residual, FFN or post-norm."""
    import torch.nn.functional as F

    class Module(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.query = torch.nn.Parameter(torch.zeros(grid * grid, dim))
            self.register_buffer("pos_embed", torch.from_numpy(sincos_2d(grid, dim)))
            self.ln_q = torch.nn.LayerNorm(dim, eps=1e-5)
            self.ln_kv = torch.nn.LayerNorm(dim, eps=1e-5)
            self.attn = torch.nn.MultiheadAttention(dim, heads, batch_first=True)

        def key_positions(self, patches):
            side = int(math.isqrt(patches))
            if side == grid:
                return self.pos_embed
            table = self.pos_embed.reshape(1, grid, grid, dim).permute(0, 3, 1, 2)
            resized = F.interpolate(table, size=(side, side), mode="bicubic", align_corners=False)
            return resized.permute(0, 2, 3, 1).reshape(side * side, dim)

        def forward(self, x):
            kv = self.ln_kv(x)
            q = (self.ln_q(self.query) + self.pos_embed).unsqueeze(0).expand(x.shape[0], -1, -1)
            out, _ = self.attn(q, kv + self.key_positions(x.shape[1]), kv, need_weights=False)
            return out

    return Module()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = p.add_subparsers(dest="step", required=True)
    for step in ("prepare", "all"):
        s = steps.add_parser(step)
        s.add_argument("--streamvl-classpath", required=True)
        s.add_argument("--out", required=True)
        s.add_argument("--shipped-bundle", default=os.path.join(os.path.dirname(__file__), "..", "bundles",
                                                                "streamvl-shapes"))
    s = steps.add_parser("compare")
    s.add_argument("--dir", required=True)
    for s in (steps.choices["compare"], steps.choices["all"]):
        s.add_argument("--device", default="cpu", help="where PyTorch runs: cpu or cuda (TF32 off either way)")
    a = p.parse_args()
    if a.step in ("prepare", "all"):
        prepare(a.streamvl_classpath, a.out, a.shipped_bundle)
    if a.step in ("compare", "all"):
        return compare(a.out if a.step == "all" else a.dir, a.device)
    return 0


if __name__ == "__main__":
    sys.exit(main())
