"""``# noqa`` on a line and ``# tfshapelint: noqa`` for the whole file."""

import textwrap

from tfshapelint.findings import Finding
from tfshapelint.linter import lint_source
from tfshapelint.suppression import comments_by_line, noqa_codes, unsuppressed

BAD = "y = tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 4]))"  # TSL004 at column 5


def lines_of(source: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in lint_source(textwrap.dedent(source), "s.py")]


def test_line_noqa_bare_and_with_codes():
    source = f"""\
        import tensorflow as tf
        {BAD}  # noqa
        {BAD}  # noqa: TSL004
        {BAD}  # NOQA:TSL001,TSL004 because reasons
        {BAD}  # noqa: TSL001
        {BAD}
        """
    assert lines_of(source) == [(5, "TSL004"), (6, "TSL004")]


def test_noqa_inside_a_string_does_not_count():
    source = f"""\
        import tensorflow as tf
        s = "# noqa"; {BAD}
        """
    assert lines_of(source) == [(2, "TSL004")]


def test_file_level_noqa_bare():
    source = f"""\
        # tfshapelint: noqa
        import tensorflow as tf
        {BAD}
        """
    assert lines_of(source) == []


def test_file_level_noqa_with_codes_only_drops_those():
    source = f"""\
        import tensorflow as tf
        # tfshapelint: noqa: TSL001
        {BAD}
        """
    assert lines_of(source) == [(3, "TSL004")]
    source = source.replace("TSL001", "TSL001, TSL004")
    assert lines_of(source) == []


def test_file_level_comment_is_not_a_line_noqa():
    # `# tfshapelint: noqa: TSL001` on the finding's line must not act as a bare `# noqa`: only its codes.
    assert noqa_codes("# tfshapelint: noqa: TSL001") == {"TSL001"}
    assert noqa_codes("# noqa") == set()
    assert noqa_codes("# noqa: tsl001 TSL002") == {"TSL001", "TSL002"}


def test_bare_noqa_never_hides_the_tools_own_diagnostics():
    internal = Finding(path="s.py", line=1, column=1, code="TSL902", name="internal-error", message="boom")
    assert unsuppressed([internal], "import tensorflow as tf  # noqa\n") == [internal]
    assert unsuppressed([internal], "# tfshapelint: noqa\nimport tensorflow as tf\n") == [internal]
    assert unsuppressed([internal], "import tensorflow as tf  # noqa: TSL902\n") == []
    assert unsuppressed([internal], "# tfshapelint: noqa: TSL902\n") == []


def test_source_that_does_not_tokenize_falls_back_to_line_search():
    comments = comments_by_line("x = (  # noqa: TSL004\nprint 'py2'\n")
    assert comments[1] == ["# noqa: TSL004"]


def test_syntax_errors_are_not_suppressed_by_noqa():
    # As with ruff: a file that does not parse is reported whatever its comments say
    # (ignore TSL901 in the configuration to silence it).
    assert lines_of("import tensorflow as tf\ndef broken(:  # noqa: TSL901\n") == [(2, "TSL901")]


def test_noqa_code_prefixes():
    source = f"""\
        import tensorflow as tf
        {BAD}  # noqa: TSL0
        {BAD}  # noqa: TSL00
        {BAD}  # noqa: TSL01
        {BAD}  # noqa: TSL1
        """
    assert lines_of(source) == [(4, "TSL004"), (5, "TSL004")]


def test_a_file_level_noqa_after_code_is_only_that_line_s_noqa():
    source = f"""\
        import tensorflow as tf
        x = 1  # tfshapelint: noqa
        {BAD}  # tfshapelint: noqa: TSL004
        {BAD}
        """
    assert lines_of(source) == [(4, "TSL004")]


def test_a_file_level_noqa_prefix_on_its_own_line():
    source = f"""\
        import tensorflow as tf
        {BAD}
            # tfshapelint: noqa: TSL0
        """
    assert lines_of(source) == []
