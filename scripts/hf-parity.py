#!/usr/bin/env python3
"""Our decoder's logits against Hugging Face's LlamaForCausalLM on the same checkpoint.

Writes tiny LLaMA bundles with streamvl's own code (config.json + model.safetensors, seeded random
weights: GQA/MHA, tied/untied head, llama3 rope scaling), loads each with transformers, and compares
the last-position logits with `streamvl model logits --json`. Needs torch and transformers; run by
scripts/gpu-check.sh or by hand:  python3 scripts/hf-parity.py --streamvl-classpath CP --out DIR
"""
import argparse
import json
import os
import subprocess
import sys

import torch
from transformers import LlamaForCausalLM

IDS = [1, 17, 42, 5, 99, 3, 64]
TOLERANCE = 1e-4


def streamvl(cp, *args):
    env = dict(os.environ, OPT_OUT_TRACKING="true")
    return subprocess.run(["java", "-Dai.djl.offline=true", "-cp", cp, "io.streamvl.jobs.cli.StreamvlCli", *args],
                          check=True, capture_output=True, text=True, env=env).stdout


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--streamvl-classpath", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    worst = 0.0
    for name in ["gqa-untied", "mha-tied", "gqa-llama3", "mha-tied-llama3-wide-heads"]:
        bundle = os.path.join(a.out, "hf-parity-" + name)
        streamvl(a.streamvl_classpath, "model", "write-tiny", "--config", name, "--out", bundle)
        ours = json.loads(streamvl(a.streamvl_classpath, "model", "logits", "--bundle", bundle,
                                   "--ids", ",".join(map(str, IDS)), "--json"))["logits"]
        model = LlamaForCausalLM.from_pretrained(bundle, torch_dtype=torch.float32).eval()
        with torch.no_grad():
            theirs = model(torch.tensor([IDS])).logits[0, -1].tolist()
        diff = max(abs(x - y) for x, y in zip(ours, theirs))
        worst = max(worst, diff)
        print(f"{name}: max |logit diff| = {diff:.3g}")
    print(f"worst {worst:.3g} (tolerance {TOLERANCE})")
    return 0 if worst <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main())
