"""Accounts side by side: an account the gateway refuses fails alone, named, and its other
entities are not tried once it is known to be refused; the good account lands everything."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateways.errors import GatewayAuthError, GatewayPermissionError
from ledgerdesk.config import GatewayAccount
from pipelines.extract.parallel import Task, extract_all
from tests.pipelines.extract.conftest import raw_payloads
from tests.pipelines.extract.test_runner import SPECS, FakeModule, FakeReader, sale


@dataclass
class Module(FakeModule):
    readers: list = field(default_factory=list)

    def reader(self, account):
        if account.name == "refused":
            return Refusing(account.label)
        if account.name == "restricted":
            return Refusing(account.label, GatewayPermissionError)
        reader = FakeReader({"sales": [sale(n) for n in range(30)], "plans": []})
        self.readers.append(reader)
        return reader


@dataclass
class Refusing:
    label: str
    error: type = GatewayAuthError
    reads: list = field(default_factory=list)

    def read(self, entity, since=None):
        self.reads.append(entity)
        raise self.error(self.label, entity, "Invalid API Key provided", status=401)
        yield  # a generator, like every reader

    def close(self):
        pass


def account(name: str) -> GatewayAccount:
    return GatewayAccount("acme", name, credentials={"token": "T"}, secrets={"token": "t"})


def test_a_refused_account_fails_alone_and_named(tmp_path):
    module = Module()
    tasks = [Task(module, account(name), e) for name in ("good", "refused") for e in SPECS]
    outcomes = extract_all(tasks, tmp_path / "w", log=[].append, max_threads=1)
    by = {(o.task.account.name, o.task.entity): o for o in outcomes}
    assert by[("good", "sales")].result.inserted == 30 and by[("good", "plans")].error is None
    first, second = by[("refused", "sales")], by[("refused", "plans")]
    assert first.error.startswith("acme account 'refused', sales: HTTP 401")
    # one thread: the second entity comes after the refusal and is not tried
    assert second.error == f"plans not read: {first.error}"
    assert {a for a, _ in raw_payloads(tmp_path / "w", "sales", gateway="acme")} == {"good"}


def test_a_permission_error_is_the_entitys_own(tmp_path):
    module = Module()
    tasks = [Task(module, account("restricted"), e) for e in SPECS]
    outcomes = extract_all(tasks, tmp_path / "w", log=[].append, max_threads=1)
    # each entity was tried on its own: a key may read some entities and not others
    assert [o.error.split(":")[0] for o in outcomes] == [
        f"acme account 'restricted', {entity}" for entity in SPECS
    ]


def test_gateways_run_in_processes_of_their_own_and_their_logs_come_back(sandbox, store, tmp_path):
    """Two gateways (Stripe, and Stripe again under another name, so its own raw schema)
    in two spawned processes, into one warehouse: both land whole, and the caller hears
    every batch."""
    from dataclasses import replace

    from gateways.stripe.module import MODULE
    from tests.pipelines.extract.conftest import account_for

    twin = replace(MODULE, name="stripe_twin")
    entities = ("customers", "tax_rates")
    tasks = [Task(m, account_for(sandbox), e) for m in (MODULE, twin) for e in entities]
    messages: list[str] = []
    outcomes = extract_all(tasks, tmp_path / "w", log=messages.append)
    assert [o.error for o in outcomes] == [None] * 4, outcomes
    assert [(o.task.module.name, o.task.entity) for o in outcomes] == [
        (m, e) for m in ("stripe", "stripe_twin") for e in entities
    ]
    for entity in entities:
        assert raw_payloads(tmp_path / "w", entity) == raw_payloads(
            tmp_path / "w", entity, gateway="stripe_twin"
        )
        assert len(raw_payloads(tmp_path / "w", entity)) == store.count(entity)
    assert sum("landed listing batch" in m for m in messages) == 4


def test_a_module_that_cannot_travel_runs_in_threads(tmp_path):
    """Two gateways, one whose module holds a lambda (not picklable): no process is
    spawned, everything runs here, and the caller is told."""
    module, other = Module(), Module(name="acme_two")
    object.__setattr__(other, "hook", lambda: None)
    tasks = [Task(module, account("good"), "sales"), Task(other, account("good"), "sales")]
    messages: list[str] = []
    outcomes = extract_all(tasks, tmp_path / "w", log=messages.append)
    assert [o.result.inserted for o in outcomes] == [30, 30]
    assert any("threads only" in m for m in messages)
