"""hypothesis strategies for codebooks, shared by the YAML and QDC round-trip tests."""

from __future__ import annotations

from hypothesis import strategies as st

from workbench.codebook import ChangelogEntry, Code, Codebook

# Any Unicode text a YAML file can carry (lone surrogates cannot be written as UTF-8).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
some_text = any_text.filter(str.strip)
items = st.lists(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20))
slugs = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
colors = st.from_regex(r"#[0-9A-Fa-f]{6}", fullmatch=True)


@st.composite
def codebooks(draw, text=some_text, min_codes=0):
    """Valid codebooks: unique slug ids, parents drawn among earlier codes (so no loops).

    ``text`` draws the title, names and definitions; other text fields take any text.
    """
    name = text.filter(lambda value: "\n" not in value)
    ids = draw(st.lists(slugs, unique=True, min_size=min_codes, max_size=6))
    codes = tuple(
        Code(
            id=code_id,
            name=draw(name),
            parent=draw(st.none() | st.sampled_from(ids[:position])) if position else None,
            definition=draw(text),
            when_to_use=draw(any_text),
            when_not_to_use=draw(any_text),
            examples=tuple(draw(items)),
            color=draw(st.none() | colors),
            references=tuple(draw(items)),
            patterns=tuple(draw(items)),
        )
        for position, code_id in enumerate(ids)
    )
    changelog = tuple(
        ChangelogEntry(draw(st.integers(1, 99)), draw(st.dates()), draw(text))
        for _ in range(draw(st.integers(0, 2)))
    )
    return Codebook(
        title=draw(text),
        version=draw(st.integers(1, 10**9)),
        authors=tuple(draw(items)),
        changelog=changelog,
        references=tuple(draw(items)),
        codes=codes,
    )


# Text a .qdc file can hold in a name or definition: XML 1.0 refuses most control characters.
NOT_XML = "".join(chr(point) for point in range(32) if chr(point) not in "\t\n\r") + "\ufffe\uffff"
xml_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters=NOT_XML), max_size=30
).filter(str.strip)
