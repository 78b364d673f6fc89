"""axe-core (WCAG 2.2 AA rules) run inside the page the browser tests are looking at.

axe-core comes from npm as a devDependency of tests/e2e/package.json: it is used
only by the tests and never served (`make test` and `.ci/run` run `npm ci` in
tests/e2e). It is evaluated through the DevTools protocol rather than added as
a <script> tag, so the page's Content-Security-Policy, which allows no inline
script, stays in force while the tests run.
"""

from pathlib import Path

E2E = Path(__file__).resolve().parent
AXE_SOURCE = E2E / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: what the issue measured with.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN = """async (tags) => {
    const results = await window.axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({
            target: node.target.join(" "),
            summary: node.failureSummary,
        })),
    }));
}"""


def axe_missing() -> str | None:
    """Why the browser tests cannot check accessibility here, or None when they can."""
    if AXE_SOURCE.is_file():
        return None
    return (
        f"needs axe-core at {AXE_SOURCE.relative_to(E2E.parents[1])} "
        "(cd tests/e2e && npm ci, which `make test` runs)"
    )


def axe_violations(page) -> list[dict]:
    """The WCAG 2.2 AA violations axe-core finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(_RUN, WCAG_TAGS)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " / ".join((node["summary"] or "").splitlines()[1:])
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    """Fail with every rule broken and where, when axe-core finds a WCAG 2.2 AA violation."""
    violations = axe_violations(page)
    assert violations == [], f"axe-core on {page.url}:\n{describe(violations)}"
