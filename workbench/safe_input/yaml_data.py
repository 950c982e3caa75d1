"""YAML that cannot expand: aliases are counted as the values they stand for.

``yaml.safe_load`` builds only plain data, but an alias (``*a``) stands for the whole value
its anchor (``&a``) names, and anchors may hold aliases: nine lines of nested aliases stand
for a billion values (the "billion laughs" attack, [1]_), and anything that walks the result
(attributes written out, a JSON dump) then takes gigabytes. :func:`load_yaml` composes the
document first, counts every value as it would be expanded (each alias costing the size of
what it names, computed once per anchor, so counting stays linear in the text), and refuses
the document past ``MAX_YAML_VALUES`` values or with an alias that contains itself. Only then
is it built.

References
----------
.. [1] CVE-2003-1564 and the YAML variant described in PyYAML issue #80
   ("billion laughs"); OWASP, "XML External Entity Prevention Cheat Sheet" (entity expansion).
"""

from __future__ import annotations

import yaml

__all__ = ["MAX_YAML_VALUES", "UnsafeYaml", "load_yaml"]

#: How many values (scalars, lists, mappings) a YAML document may stand for once its aliases
#: are expanded. A codebook of 1,000 codes is about 10,000 values; front matter, a logs
#: mapping or a sidecar far fewer.
MAX_YAML_VALUES = 200_000


class UnsafeYaml(yaml.YAMLError):
    """A YAML document refused because its aliases expand too far or refer to themselves."""


def load_yaml(text: str, *, max_values: int = MAX_YAML_VALUES):
    """Parse YAML text into plain data, refusing alias expansion beyond ``max_values``.

    Parameters
    ----------
    text : the YAML text.
    max_values : the most values the document may stand for with its aliases expanded.

    Returns
    -------
    The plain data ``yaml.safe_load`` would return (``None`` for an empty document).

    Raises
    ------
    yaml.YAMLError
        the text is not valid YAML (with its marks), or :class:`UnsafeYaml` when the aliases
        expand beyond the bound or contain themselves.

    Examples
    --------
    >>> load_yaml("a: &x [1, 2]\\nb: *x")
    {'a': [1, 2], 'b': [1, 2]}
    >>> load_yaml("a: &x [1, 1]\\nb: &y [*x, *x]\\nc: [*y, *y]", max_values=10)
    Traceback (most recent call last):
    ...
    workbench.safe_input.yaml_data.UnsafeYaml: the YAML stands for more than 10 values once \
its aliases (*name) are expanded; write the values out instead of repeating them through \
anchors and aliases
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node, max_values)
        return loader.construct_document(node)
    except RecursionError as err:
        raise UnsafeYaml(
            "the YAML nests lists or mappings too deeply to read; flatten it"
        ) from err
    finally:
        loader.dispose()


def _check_expansion(root: yaml.Node, max_values: int) -> None:
    """Count the values ``root`` stands for, each shared node once per use, without recursion."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes and not children_done:
            continue
        children = _children(node)
        if children_done:
            open_nodes.discard(key)
            size = 1 + sum(sizes[id(child)] for child in children)
            if size > max_values:
                raise UnsafeYaml(
                    f"the YAML stands for more than {max_values:,} values once its aliases "
                    "(*name) are expanded; write the values out instead of repeating them "
                    "through anchors and aliases"
                )
            sizes[key] = size
            continue
        if key in open_nodes:
            raise UnsafeYaml(
                "an alias (*name) refers to a value that contains it; write the value out"
            )
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    """The nodes directly inside ``node``: items of a sequence, keys and values of a mapping."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
