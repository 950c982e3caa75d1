"""Reading input from an unknown sender without trusting it (bounded YAML)."""

from workbench.safe_input.yaml_data import MAX_YAML_VALUES, UnsafeYaml, load_yaml

__all__ = ["MAX_YAML_VALUES", "UnsafeYaml", "load_yaml"]
