"""The page checkers the browser tests run: axe-core in the page, the Nu HTML Checker on its HTML.

Both come from the npm registry at the versions pinned in package.json / package-lock.json and
live in node_modules/ (git-ignored). When they are missing, `node_tool()` installs them with
`npm ci`; when that cannot work, the test fails and says how to fix it. It never skips.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# What axe checks: WCAG 2.2 A and AA, and its best practices (landmarks, headings, …).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = {"wide": 1280, "phone": 390}
SCHEMES = ("light", "dark")


def node_tool(path: Path) -> Path:
    """The installed file, after `npm ci` if node_modules lacks it; a clear failure otherwise."""
    if path.exists():
        return path
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail(f"{path.relative_to(ROOT)} is missing and npm is not installed: run `npm ci`.")
    # --ignore-scripts: vnu-jar's install script would download a Java runtime; we use the
    # system's.
    done = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0 or not path.exists():
        pytest.fail(
            f"{path.relative_to(ROOT)} is missing and `npm ci` could not install it:\n"
            f"{done.stdout}\n{done.stderr}"
        )
    return path


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it stands (its rules for AXE_TAGS)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(node_tool(AXE_JS)))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => ({
                    target: n.target.join(" "),
                    summary: n.failureSummary,
                    html: n.html.slice(0, 200),
                })),
            }));
        }""",
        AXE_TAGS,
    )


def describe_violations(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2, ensure_ascii=False)


def nu_errors(documents: dict[str, str], *, workdir: Path) -> dict[str, list[str]]:
    """The Nu HTML Checker's errors for each named HTML document, in one run of the checker."""
    jar = node_tool(VNU_JAR)
    java = shutil.which("java")
    if java is None:
        pytest.fail("The Nu HTML Checker needs Java: apt-get install -y default-jre-headless")
    files = {}
    for index, (name, html) in enumerate(documents.items()):
        path = workdir / f"page-{index}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    done = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only"]
        + [str(workdir / file) for file in files],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        report = json.loads(done.stderr or done.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"The Nu HTML Checker did not run:\n{done.stdout}\n{done.stderr}")
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        url = message.get("url", "")
        name = files.get(url.rsplit("/", 1)[-1], url or "?")
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message['message']} "
            f"[{message.get('extract', '').strip()}]"
        )
    return errors
