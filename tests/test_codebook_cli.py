"""``forumnlp codebook`` commands: output and exit codes (0 valid, 2 invalid or bad input)."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema
from typer.testing import CliRunner

from forumnlp.cli import app, run
from forumnlp.codebook import import_qdc, load_codebook

DATA = Path(__file__).parent / "data" / "qdc"
runner = CliRunner()

INVALID = (
    "name: bad\nversion: '1'\ngroups:\n  - id: g\ncodes:\n"
    "  - id: a\n    group: nope\n    label: A\n    definition: ''\n"
    "    patterns:\n      - regex: '(('\n"
)


@pytest.fixture
def invalid(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(INVALID, encoding="utf-8")
    return path


def test_validate_default_ok() -> None:
    result = runner.invoke(app, ["codebook", "validate"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "OK: child_protection 1.0.0, 26 codes in 4 groups"


def test_validate_invalid_lists_every_error_and_exits_2(invalid: Path) -> None:
    result = runner.invoke(app, ["codebook", "validate", str(invalid)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stdout.strip().splitlines()
    assert lines == [
        f"{invalid}:4: warning: groups[0]: group 'g' has no codes",
        f"{invalid}:7: codes[0].group [a]: unknown group 'nope'; the groups are: g",
        f"{invalid}:9: codes[0].definition [a]: must not be empty",
        f"{invalid}:11: codes[0].patterns[0].regex [a]: cannot compile: "
        "missing ), unterminated subpattern at position 1",
    ]
    assert "invalid" in result.stderr and "3 problems" in result.stderr


def test_validate_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["codebook", "validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "file not found" in result.stdout


def test_validate_strict_fails_on_warnings(tmp_path: Path) -> None:
    path = tmp_path / "warn.yaml"
    path.write_text("name: w\nversion: '1'\nextra: 1\ngroups: [{id: g}]\n"
                    "codes: [{id: a, group: g, label: A, definition: D}]\n", encoding="utf-8")
    ok = runner.invoke(app, ["codebook", "validate", str(path)])
    assert ok.exit_code == 0 and "OK: w 1, 1 codes in 1 groups (1 warnings)" in ok.stdout
    assert runner.invoke(app, ["codebook", "validate", "--strict", str(path)]).exit_code == 2


def test_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["codebook", "show", "--codes"]) == 0
    assert capsys.readouterr().out.split() == list(load_codebook().ids)
    assert run(["codebook", "show", "--group", "risk", "--patterns"]) == 0
    out = capsys.readouterr().out
    assert "[risk] Parental risk factors (many, 5 codes)" in out
    assert "risk.neglect: Neglect" in out and "definition: Neglect of the child's needs" in out
    assert "cues (" in out and "[frame]" not in out
    assert run(["codebook", "show", "--group", "nope"]) == 2
    assert "no such group" in capsys.readouterr().err


def test_show_and_export_of_invalid_or_missing_file_exit_2(
    invalid: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["codebook", "show", str(invalid)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "invalid codebook, 3 errors" in err
    assert run(["codebook", "export", str(tmp_path / "x.yaml"), "-o", str(tmp_path / "o.qdc")]) == 2
    assert "not found" in capsys.readouterr().err
    assert not (tmp_path / "o.qdc").exists()


def test_export_import_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    qdc = tmp_path / "cb.qdc"
    assert run(["codebook", "export", "-o", str(qdc)]) == 0
    assert "wrote" in capsys.readouterr().out
    xmlschema.XMLSchema(str(DATA / "Codebook.xsd")).validate(str(qdc))
    out = tmp_path / "cb.yaml"
    assert run(["codebook", "import", str(qdc), "-o", str(out)]) == 0
    cb, orig = load_codebook(out), load_codebook()
    assert [(c.id, c.group, c.label, c.definition) for c in cb] == [
        (c.id, c.group, c.label, c.definition) for c in orig]
    assert run(["codebook", "validate", str(out)]) == 0


def test_export_formats(tmp_path: Path) -> None:
    assert run(["codebook", "export", "-o", str(tmp_path / "cb.csv")]) == 0
    assert (tmp_path / "cb.csv").read_text(encoding="utf-8").startswith("group,group_label,")
    assert run(["codebook", "export", "-o", str(tmp_path / "cb.out"), "--format", "yaml"]) == 0
    assert load_codebook(tmp_path / "cb.out") == load_codebook()
    assert run(["codebook", "export", "-o", str(tmp_path / "cb.out"), "--format", "pdf"]) == 2
    assert run(["codebook", "export", "-o", str(tmp_path / "missing" / "cb.qdc")]) == 2


def test_export_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    load_codebook().to_yaml(path)
    before = path.read_bytes()
    assert run(["codebook", "export", str(path), "-o", str(path)]) == 2
    assert path.read_bytes() == before


def test_import_other_tool_and_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "other.yaml"
    assert run(["codebook", "import", str(DATA / "other_tool.qdc"), "-o", str(out),
                "--name", "family"]) == 0
    captured = capsys.readouterr()
    assert "family 1.0.0, 9 codes in 3 groups" in captured.out
    assert "2 codes had no description" in captured.err
    assert load_codebook(out).ids == import_qdc(DATA / "other_tool.qdc").ids
    assert run(["codebook", "import", str(tmp_path / "none.qdc"), "-o", str(out)]) == 2
    bad = tmp_path / "bad.qdc"
    bad.write_text("<CodeBook>", encoding="utf-8")
    assert run(["codebook", "import", str(bad), "-o", str(out)]) == 2
    assert "not well-formed" in capsys.readouterr().err


def test_codebook_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["codebook", "--help"])
    assert result.exit_code == 0
    for cmd in ("validate", "show", "export", "import"):
        assert cmd in result.output


def test_console_exit_codes_in_a_real_process(invalid: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    def status(*args: str) -> tuple[int, str, str]:
        proc = subprocess.run([sys.executable, "-m", "forumnlp", "codebook", *args],
                              capture_output=True, text=True, timeout=120)
        return proc.returncode, proc.stdout, proc.stderr

    assert status("validate")[0] == 0
    code, out, _ = status("validate", str(invalid))
    assert code == 2 and "cannot compile" in out
    code, out, _ = status("validate", str(tmp_path / "missing.yaml"))
    assert code == 2 and "file not found" in out
    code, _, err = status("show", str(tmp_path / "missing.yaml"))
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: ")
