"""Every bad input gets a clear JSON error, never a 500."""
from __future__ import annotations

import pytest

BIG = str(2 ** 63 - 1)
TOO_BIG = "9" * 25

CASES = [
    ("GetActivities", {"limit": "-1"}, 400, "InvalidParameterValue"),
    ("GetActivities", {"offset": TOO_BIG}, 400, "InvalidParameterValue"),
    ("GetActivities", {"offset": BIG}, 200, None),
    ("GetActivities", {"query": "x\x00y"}, 400, "InvalidParameterValue"),
    ("GetActivities", {"query": "a" * 5000}, 400, "InvalidQuery"),
    ("GetActivities", {"query": "(" * 40}, 400, "InvalidQuery"),
    ("GetActivities", {"query": 'summary:"unterminated'}, 400, "InvalidQuery"),
    ("GetActivities", {"query": f"id:{TOO_BIG}"}, 400, "InvalidQuery"),
    ("GetActivities", {"query": f"id:{BIG}"}, 200, None),
    ("GetActivities", {"query": "créé 🚀 %_\\"}, 200, None),
    ("GetActivities", {"query": "computer:(tag:a OR NOT tag:b)"}, 200, None),
    ("GetActivities", {"query": "created-after:2011-13"}, 400, "InvalidQuery"),
    ("GetActivities", {"colour": "blue"}, 400, "UnknownParameter"),
    ("GetActivity", {"activity_id": "-5"}, 404, "UnknownActivity"),
    ("GetActivity", {"activity_id": BIG}, 404, "UnknownActivity"),
    ("GetActivity", {"activity_id": TOO_BIG}, 400, "InvalidParameterValue"),
    ("GetActivity", {"activity_id": "1e3"}, 400, "InvalidParameterValue"),
    ("GetActivity", {}, 400, "MissingParameter"),
    ("CancelActivities", {"query": "NOT"}, 400, "InvalidQuery"),
    ("CancelActivities", {"query": "   "}, 200, None),
    ("ApproveActivities", {"query": "status:UNAPPROVED"}, 200, None),
    ("ReapplyActivities", {"activity_ids": []}, 400, "MissingParameter"),
    ("ReapplyActivities", {"activity_ids": ["-1"]}, 400, "InvalidParameterValue"),
    ("ReapplyActivities", {"activity_ids": ["x"]}, 400, "InvalidParameterValue"),
    ("ReapplyActivities", {"activity_ids": [BIG]}, 404, "UnknownActivity"),
    ("RevertActivities", {"activity_ids": [TOO_BIG]}, 400, "InvalidParameterValue"),
    ("RebootComputers", {"computer_ids": [BIG]}, 404, "UnknownComputer"),
    ("RebootComputers", {"computer_ids": []}, 400, "MissingParameter"),
    ("ShutdownComputers", {"computer_ids": ["1"], "deliver_after": "2011-02-30"}, 400,
     "InvalidParameterValue"),
    ("InstallPackages", {"query": "", "packages": ["ünïcödé"]}, 400, "UnknownPackages"),
    ("InstallPackages", {"query": "tag:", "packages": ["x"]}, 400, "InvalidQuery"),
    ("InstallPackages", {"packages": ["x"]}, 400, "MissingParameter"),
    ("UpgradePackages", {"query": "", "security_only": "maybe"}, 400,
     "InvalidParameterValue"),
    ("GetComputers", {"with_network": "2"}, 400, "InvalidParameterValue"),
    ("GetComputers", {"query": "needs:coffee"}, 400, "InvalidQuery"),
    ("AddTagsToComputers", {"query": "", "tags": []}, 400, "MissingParameter"),
    ("RenameComputers", {"computer_titles": {TOO_BIG: "x"}}, 400, "InvalidParameterValue"),
    ("RenameComputers", {}, 400, "MissingParameter"),
    ("RemoveComputers", {"computer_ids": [BIG, BIG]}, 404, "UnknownComputer"),
    ("RegisterComputer", {"title": "", "hostname": "h"}, 400, "InvalidTitle"),
    ("RegisterComputer", {"title": "t", "hostname": ""}, 400, "InvalidParameterValue"),
]


@pytest.mark.parametrize(("action", "arguments", "status", "error"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_weird_input(api, tenant, action, arguments, status, error):
    answer = api.call(action, key=tenant.admin, **arguments)
    assert answer.status == status, answer.body
    if error is None:
        assert isinstance(answer.body, list)
    else:
        assert answer.body["error"] == error
        assert answer.body["message"]


@pytest.mark.parametrize(("action", "arguments"), [
    ("ReportActivityResult", {"activity_id": "1", "status": "failed",
                              "result_code": str(2 ** 40)}),
    ("ReportActivityResult", {"activity_id": "1", "status": "SUCCEEDED"}),
    ("ReportActivityProgress", {"activity_id": TOO_BIG, "progress": "1"}),
    ("ReportActivityProgress", {"activity_id": "1"}),
    ("GetPendingActivities", {"limit": "1"}),
])
def test_weird_agent_input(api, tenant, make_computer, action, arguments):
    agent = make_computer(tenant.account, "agent")
    answer = api.call(action, key=agent.key, **arguments)
    assert answer.status == 400
    assert answer.error in ("InvalidParameterValue", "MissingParameter", "UnknownParameter")


def test_repeated_scalar_argument_is_invalid(client, api, tenant):
    token = api.call("LoginWithAccessKey", access_key=tenant.manager.access_key,
                     secret_key=tenant.manager.secret_key).body["token"]
    answer = client.post("/api/?action=CancelActivities&query=id:1&query=id:2",
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "InvalidParameterValue"


def test_large_argument_lists_stay_below_sql_parameter_limits(api, tenant, make_computer):
    from app.models import Computer, ComputerTag, database

    names = [f"pkg-{i}" for i in range(40000)]
    answer = api.call("InstallPackages", key=tenant.manager, query="", packages=names)
    assert (answer.status, answer.error) == (400, "UnknownPackages")
    make_computer(tenant.account, "m")
    tags = [f"t{i}" for i in range(3000)]
    answer = api.call("AddTagsToComputers", key=tenant.manager, query="", tags=tags)
    assert (answer.status, answer.error) == (400, "InvalidParameterValue")  # 100 at most
    tags = tags[:100]
    answer = api.call("AddTagsToComputers", key=tenant.manager, query="", tags=tags)
    assert answer.status == 200
    assert ComputerTag.select().count() == 100
    answer = api.call("RemoveTagsFromComputers", key=tenant.manager, query="", tags=tags)
    assert answer.status == 200 and ComputerTag.select().count() == 0
    with database.atomic():
        Computer.insert_many([{"account": tenant.account.id, "title": f"c{i}",
                               "hostname": f"c{i}"} for i in range(20000)]).execute()
    ids = [c.id for c in Computer.select(Computer.id)]
    answer = api.call("RenameComputers", key=tenant.admin,
                      computer_titles={cid: f"renamed {cid}" for cid in ids})
    assert answer.status == 200, answer.body
    assert Computer.select().where(Computer.title.startswith("renamed")).count() == len(ids)
