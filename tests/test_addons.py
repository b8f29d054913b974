"""The add-on registry (addons/registry.py): every add-on module is registered once, in an order its installers can follow."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import addons
from addons import registry
from addons.base import AddOn
from config import load_config


def addon_modules() -> dict[str, AddOn]:
    """Every module of addons/ that exports an `ADDON`, by module name."""
    found = {}
    for info in pkgutil.iter_modules(addons.__path__, "addons."):
        module = importlib.import_module(info.name)
        if hasattr(module, "ADDON"):
            found[info.name] = module.ADDON
    return found


def test_every_addon_module_is_installed_by_exactly_one_loop() -> None:
    installed = [*registry.MANAGED, *registry.CONTROLLERS, *registry.MONITORING, *registry.MESH, *registry.WORKLOADS]
    assert sorted(map(id, installed)) == sorted(map(id, addon_modules().values()))
    assert len({addon.name for addon in installed}) == len(installed), "two add-ons share a name"


def test_the_inventory_lists_every_registered_addon_once() -> None:
    assert sorted(map(id, registry.INVENTORY)) == sorted(map(id, addon_modules().values()))


def test_each_monitoring_addon_comes_after_what_it_needs() -> None:
    before: set[str] = set()
    for addon in registry.MONITORING:
        assert set(addon.needs) <= before, f"{addon.name} needs {set(addon.needs) - before} earlier in MONITORING"
        before.add(addon.name)


@pytest.mark.parametrize("env", ["prod", "dev"])
def test_every_addon_declares_its_pods_from_its_own_values(env: str) -> None:
    config = load_config(env)
    for addon in registry.enabled(registry.INVENTORY, config=config):
        for pod in addon.pods(config=config, values=addon.pod_values(config=config)):
            assert pod.node_group is None, "fit/placement.py places the pods, not the add-on"
            assert pod.replicas >= 1 and pod.memory_limit_mib >= pod.memory_request_mib, pod
