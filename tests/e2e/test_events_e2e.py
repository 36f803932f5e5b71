"""The event log through the official client's ``call``, against gunicorn."""
from __future__ import annotations


def test_cli_call_get_events_reads_who_canceled_what(landscape_cli, landscape_api, tenant):
    api = landscape_api(tenant.admin)
    box = api.call_arbitrary("RegisterComputer", {"title": "box", "hostname": "box"})
    api.call_arbitrary("RebootComputers", {"computer_ids.1": str(box["id"])})
    api.call_arbitrary("CancelActivities", {"query": "status:undelivered"})
    result = landscape_cli(tenant.auditor, "--json", "call", "GetEvents",
                           "query=action:canceled user:admin-acme", "limit=10")
    assert result.returncode == 0, result.stderr
    entries = result.json()
    assert [(e["user"], e["action"], e["type"]) for e in entries] == [
        ("admin-acme", "canceled", "activity")] * 2
    assert all(e["streams"][-2:] == ["user-admin-acme", "account-acme"] for e in entries)
    everything = landscape_cli(tenant.auditor, "--json", "call", "GetEvents").json()
    assert [e["action"] for e in everything][-3:] == ["rebooted", "created", "registered"]
    older = landscape_cli(tenant.auditor, "--json", "call", "GetEvents",
                          f"after={everything[0]['id']}", "limit=1").json()
    assert [e["id"] for e in older] == [everything[1]["id"]]
