"""Real editors against the language server: a headless Neovim with its built-in LSP client opens the
seed example and gets the TSL001 diagnostic and a hover (Debian's `neovim` package; skipped without it)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mnist_convnet.py"

# Runs after Neovim has loaded the file: start the client as an init.lua would (vim.lsp.start_client
# and buf_attach_client exist from 0.5 on; vim.lsp.start from 0.8), wait for the diagnostics, hover
# over `conv2` on the reshape line, write what came back as JSON, quit.
CHECK = """
local result = {diagnostics = {}, hover = {}}
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "tfshapelint", cmd = vim.fn.json_decode(os.getenv("TSL_CMD")), root_dir = vim.fn.getcwd() })
vim.lsp.buf_attach_client(bufnr, client_id)
vim.wait(90000, function() return #vim.diagnostic.get(bufnr) > 0 end, 100)
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(result.diagnostics, {code = d.code, lnum = d.lnum, col = d.col, source = d.source})
end
local line = vim.fn.search("dense1 = tf.reshape(conv2")
local column = string.find(vim.fn.getline(line), "conv2", 1, true)  -- one value: the start
vim.api.nvim_win_set_cursor(0, {line, column})
local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", vim.lsp.util.make_position_params(), 60000)
for _, response in pairs(responses or {}) do
  if response.result then table.insert(result.hover, response.result.contents.value) end
end
local out = io.open(os.getenv("TSL_OUT"), "w")
out:write(vim.fn.json_encode(result))
out:close()
vim.cmd("qall!")
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed (apt-get install neovim)")
def test_neovim_gets_the_seed_diagnostic_and_a_hover(tmp_path):
    (tmp_path / "mnist_convnet.py").write_text(EXAMPLE.read_text())
    (tmp_path / "check.lua").write_text(CHECK)
    paths = [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]  # this checkout's server
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "TSL_OUT": str(tmp_path / "out.json"),
           "TSL_CMD": json.dumps([sys.executable, "-m", "tfshapelint", "lsp", "--stdio"])}
    # On a Lua error Neovim stays open: the timeout ends it and the assertion shows its stderr.
    try:
        run = subprocess.run(["nvim", "--headless", "--clean", "mnist_convnet.py", "-c", "luafile check.lua"],
                             cwd=tmp_path, env=env, timeout=200, capture_output=True, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as error:
        raise AssertionError(f"Neovim did not finish: {error.stderr}") from None
    assert run.returncode == 0, run.stderr
    result = json.loads((tmp_path / "out.json").read_text())
    line = next(i for i, text in enumerate(EXAMPLE.read_text().splitlines()) if "'wd1': tf.Variable" in text)
    assert [(d["code"], d["lnum"], d["source"]) for d in result["diagnostics"]] == [("TSL001", line, "tfshapelint")]
    assert len(result["hover"]) == 1 and "`conv2`: **Nx7x7x64**" in result["hover"][0]
