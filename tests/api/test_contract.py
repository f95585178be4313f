"""The served OpenAPI document regenerates the FRYTE Planner API v2 contract exactly.

`contract_differences(contract, served)` lists everything in the contract that the served document
lacks or changes. Additive extensions are not differences: extra paths and methods, extra response
codes, extra optional parameters, extra components and security schemes, extra optional properties
on schemas whose contract allows additional properties (the `Result*` models), extra optional
properties marked `x-voltroute-extension: true` on the others (the request's `driver_rules`), `x-`
keys. `info` and `servers` are ours.
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.security import HTTPBearer

from voltroute.api.openapi import (
    AUTH_OPENAPI_EXTRA,
    CONTRACT_SECURITY,
    EXTENSION_MARKER,
    SECURITY_SCHEMES,
    apply_contract_conventions,
    contract_openapi,
    install_contract_openapi,
)
from voltroute.api.schemas import POIInfo

REPO = Path(__file__).resolve().parents[2]
CONTRACT_DIR = Path(
    os.environ.get("VOLTROUTE_SHARED_CONTRACT", REPO.parent / "shared" / "contract")
)
CONTRACT_FILE = "fryte-openapi-latest.json"
# "module:function" building the app under test; overridable to check a stand-in app.
APP_FACTORY = os.environ.get("VOLTROUTE_CONTRACT_APP", "voltroute.api.app:create_app")

IGNORED_TOP_LEVEL = frozenset({"info", "servers"})
_MAX_SHOWN = 160

# ---------------------------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------------------------


def contract_differences(contract: dict[str, Any], served: dict[str, Any]) -> list[str]:
    """Readable lines `<where>: <what>` for each way `served` breaks `contract`; [] if none."""
    out: list[str] = []
    for key, expected in contract.items():
        if key in IGNORED_TOP_LEVEL:
            continue
        if key not in served:
            out.append(f"{key}: missing (expected {_show(expected)})")
        elif key == "paths":
            _compare_paths(expected, served[key], out)
        elif key == "components":
            _compare_components(expected, served[key], out)
        else:
            _compare(expected, served[key], key, out)
    return out


def _compare_paths(expected: dict[str, Any], actual: Any, out: list[str]) -> None:
    if not isinstance(actual, dict):
        out.append(f"paths: expected an object, got {_show(actual)}")
        return
    for path, item in expected.items():
        where = f"paths[{path!r}]"
        if path not in actual:
            out.append(f"{where}: missing (expected methods {sorted(item)})")
            continue
        for method, operation in item.items():
            if method not in actual[path]:
                out.append(f"{where}.{method}: missing")
            else:
                _compare_operation(operation, actual[path][method], f"{where}.{method}", out)


def _compare_operation(expected: dict[str, Any], actual: Any, where: str, out: list[str]) -> None:
    if not isinstance(actual, dict):
        out.append(f"{where}: expected an operation, got {_show(actual)}")
        return
    for key, value in expected.items():
        if key not in actual:
            out.append(f"{where}.{key}: missing (expected {_show(value)})")
        elif key == "parameters":
            _compare_parameters(value, actual[key], f"{where}.parameters", out)
        elif key == "responses":
            for status, response in value.items():
                if status not in actual[key]:
                    out.append(f"{where}.responses[{status!r}]: missing")
                else:
                    _compare(response, actual[key][status], f"{where}.responses[{status!r}]", out)
        else:
            _compare(value, actual[key], f"{where}.{key}", out)
    for key in actual.keys() - expected.keys():
        if key == "parameters":
            _compare_parameters([], actual[key], f"{where}.parameters", out)
        elif key not in {"responses"} and not key.startswith("x-"):
            out.append(f"{where}.{key}: unexpected (got {_show(actual[key])})")


def _compare_parameters(expected: list[Any], actual: Any, where: str, out: list[str]) -> None:
    def keyed(params: Any) -> dict[tuple[str, str], Any]:
        return {(p.get("name"), p.get("in")): p for p in params} if isinstance(params, list) else {}

    served = keyed(actual)
    for (name, location), param in keyed(expected).items():
        here = f"{where}[{name!r} in {location}]"
        if (name, location) not in served:
            out.append(f"{here}: missing (expected {_show(param)})")
        else:
            _compare(param, served[(name, location)], here, out)
    for (name, location), param in served.items():
        if (name, location) not in keyed(expected) and param.get("required"):
            out.append(f"{where}[{name!r} in {location}]: unexpected required parameter")


def _compare_components(expected: dict[str, Any], actual: Any, out: list[str]) -> None:
    if not isinstance(actual, dict):
        out.append(f"components: expected an object, got {_show(actual)}")
        return
    for section, entries in expected.items():
        served = actual.get(section)
        if not isinstance(served, dict):
            out.append(f"components.{section}: missing")
            continue
        for name, value in entries.items():
            where = f"components.{section}.{name}"
            if name not in served:
                out.append(f"{where}: missing (expected {_show(value)})")
            else:
                _compare(value, served[name], where, out)


def _compare(expected: Any, actual: Any, where: str, out: list[str]) -> None:
    """Exact comparison, except extra optional properties where additionalProperties is true."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            out.append(f"{where}: expected {_show(expected)}, got {_show(actual)}")
            return
        open_schema = expected.get("additionalProperties") is True
        for key, value in expected.items():
            here = _join(where, key)
            if key not in actual:
                out.append(f"{here}: missing (expected {_show(value)})")
            elif key == "required" and isinstance(value, list):
                _compare_required(value, actual[key], here, out)
            elif key == "properties":
                _compare_properties(value, actual[key], here, out, open_schema)
            else:
                _compare(value, actual[key], here, out)
        for key in actual.keys() - expected.keys():
            here = _join(where, key)
            if key == "required" and isinstance(actual[key], list):
                _compare_required([], actual[key], here, out)
            elif key == "properties":
                _compare_properties({}, actual[key], here, out, open_schema)
            elif not key.startswith("x-"):
                out.append(f"{here}: unexpected (got {_show(actual[key])})")
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            out.append(f"{where}: expected {_show(expected)}, got {_show(actual)}")
            return
        if len(expected) != len(actual):
            out.append(f"{where}: expected {_show(expected)}, got {_show(actual)}")
            return
        for index, (item, served) in enumerate(zip(expected, actual, strict=True)):
            _compare(item, served, f"{where}[{index}]", out)
    elif not _same_scalar(expected, actual):
        out.append(f"{where}: expected {_show(expected)}, got {_show(actual)}")


def _compare_properties(
    expected: dict[str, Any], actual: Any, where: str, out: list[str], open_schema: bool
) -> None:
    if not isinstance(actual, dict):
        out.append(f"{where}: expected {_show(expected)}, got {_show(actual)}")
        return
    for name, schema in expected.items():
        if name not in actual:
            out.append(f"{_join(where, name)}: missing (expected {_show(schema)})")
        else:
            _compare(schema, actual[name], _join(where, name), out)
    # Extra properties are allowed where the schema is open, or marked as extensions; `required`
    # is checked on its own, so they stay optional.
    for name in actual.keys() - expected.keys():
        schema = actual[name]
        marked = isinstance(schema, dict) and schema.get(EXTENSION_MARKER) is True
        if not (open_schema or marked):
            out.append(f"{_join(where, name)}: unexpected (got {_show(schema)})")


def _compare_required(expected: list[Any], actual: Any, where: str, out: list[str]) -> None:
    if not isinstance(actual, list):
        out.append(f"{where}: expected {_show(expected)}, got {_show(actual)}")
        return
    out.extend(f"{where}: missing entry {name!r}" for name in expected if name not in actual)
    out.extend(f"{where}: unexpected entry {name!r}" for name in actual if name not in expected)


def _same_scalar(expected: Any, actual: Any) -> bool:
    # JSON has one number type (8000 == 8000.0), but a boolean is not a number (False != 0).
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return expected == actual
    return type(expected) is type(actual) and expected == actual


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if key.isidentifier() else f"{where}[{key!r}]"


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contract() -> dict[str, Any]:
    path = CONTRACT_DIR / CONTRACT_FILE
    if not path.is_file():
        pytest.fail(f"contract not found at {path} (set VOLTROUTE_SHARED_CONTRACT)")
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def _test_client_class() -> Any:
    # Starlette warns when its TestClient runs on httpx instead of httpx2; not our concern here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from fastapi.testclient import TestClient
    return TestClient


@pytest.fixture(scope="module")
def served() -> dict[str, Any]:
    module_name, _, attribute = APP_FACTORY.partition(":")
    factory: Callable[[], FastAPI] = getattr(importlib.import_module(module_name), attribute)
    response = _test_client_class()(factory()).get("/openapi.json")
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


# ---------------------------------------------------------------------------------------------
# The served app against the contract
# ---------------------------------------------------------------------------------------------


def test_served_openapi_has_everything_the_contract_publishes(
    contract: dict[str, Any], served: dict[str, Any]
) -> None:
    differences = contract_differences(contract, served)
    assert not differences, "served OpenAPI differs from the contract:\n" + "\n".join(
        f"- {line}" for line in differences
    )


@pytest.mark.parametrize("path", ["/health", "/metrics"])
def test_operational_endpoints_require_no_bearer_token(served: dict[str, Any], path: str) -> None:
    for method, operation in served["paths"].get(path, {}).items():
        assert "security" not in operation, f"{method.upper()} {path} declares security"


def test_every_contract_operation_requires_one_of_both_bearer_schemes(
    contract: dict[str, Any], served: dict[str, Any]
) -> None:
    expected: list[dict[str, list[str]]] = [{"HybridAuthBearer": []}, {"HTTPBearer": []}]
    for path, item in contract["paths"].items():
        for method in item:
            assert served["paths"][path][method].get("security") == expected, (method, path)


# ---------------------------------------------------------------------------------------------
# The comparison itself
# ---------------------------------------------------------------------------------------------


def _altered(contract: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    served = copy.deepcopy(contract)
    change(served)
    return served


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


def test_the_contract_has_no_differences_from_itself(contract: dict[str, Any]) -> None:
    assert contract_differences(contract, copy.deepcopy(contract)) == []


def test_own_info_and_servers_are_not_differences(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["info"] = {"title": "Voltroute Planner API", "version": "0.1.0"}
        del doc["servers"]

    assert contract_differences(contract, _altered(contract, change)) == []


def test_a_removed_property_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        del _schemas(doc)["SectionRequest"]["properties"]["payload_kg"]

    assert contract_differences(contract, _altered(contract, change)) == [
        "components.schemas.SectionRequest.properties.payload_kg: missing (expected "
        '{"anyOf": [{"type": "number"}, {"type": "null"}], "default": 19300, "description": '
        '"The payload in kg for this section.", "title": "Payload Kg"})'
    ]


def test_a_changed_parameter_bound_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["paths"]["/planner"]["post"]["parameters"][0]["schema"]["maximum"] = 30000

    assert contract_differences(contract, _altered(contract, change)) == [
        "paths['/planner'].post.parameters['corridor' in query].schema.maximum: "
        "expected 20000, got 30000"
    ]


def test_a_changed_property_bound_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        _schemas(doc)["PlannerRequest"]["properties"]["battery_level_start"]["minimum"] = 0.05

    assert contract_differences(contract, _altered(contract, change)) == [
        "components.schemas.PlannerRequest.properties.battery_level_start.minimum: "
        "expected 0.1, got 0.05"
    ]


def test_a_changed_default_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        _schemas(doc)["PlannerRequest"]["properties"]["battery_level_end"]["default"] = 0.3

    assert contract_differences(contract, _altered(contract, change)) == [
        "components.schemas.PlannerRequest.properties.battery_level_end.default: "
        "expected 0.2, got 0.3"
    ]


def test_a_boolean_default_replaced_by_a_number_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        props = _schemas(doc)["PlannerRequest"]["properties"]
        props["include_available_charging_stations"]["default"] = 0

    assert contract_differences(contract, _altered(contract, change)) == [
        "components.schemas.PlannerRequest.properties.include_available_charging_stations"
        ".default: expected false, got 0"
    ]


def test_an_integer_written_as_a_float_is_not_a_difference(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["paths"]["/planner"]["post"]["parameters"][0]["schema"]["default"] = 8000.0

    assert contract_differences(contract, _altered(contract, change)) == []


def test_a_missing_required_entry_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        _schemas(doc)["PlannerRequest"]["required"].remove("poi_info")

    assert contract_differences(contract, _altered(contract, change)) == [
        "components.schemas.PlannerRequest.required: missing entry 'poi_info'"
    ]


def test_an_extra_required_entry_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        _schemas(doc)["PlannerRequest"]["required"].append("start_time_tour")

    assert contract_differences(contract, _altered(contract, change)) == [
        "components.schemas.PlannerRequest.required: unexpected entry 'start_time_tour'"
    ]


def test_a_reordered_required_list_is_not_a_difference(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        _schemas(doc)["PlannerRequest"]["required"].reverse()

    assert contract_differences(contract, _altered(contract, change)) == []


def test_a_renamed_component_is_reported_with_every_reference(contract: dict[str, Any]) -> None:
    old, new = "api__features__poi__schemas__POIInfo", "POIInfo"

    def change(doc: dict[str, Any]) -> None:
        schemas = _schemas(doc)
        schemas[new] = schemas.pop(old)
        text = json.dumps(doc).replace(
            f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"'
        )
        doc.clear()
        doc.update(json.loads(text))

    differences = contract_differences(contract, _altered(contract, change))
    missing = [line for line in differences if line.startswith(f"components.schemas.{old}:")]
    assert len(missing) == 1
    assert missing[0].startswith(f"components.schemas.{old}: missing (expected ")
    assert sorted(set(differences) - set(missing)) == [
        "components.schemas.OptimizationResultResponse.properties.poi_filter.anyOf[0]['$ref']: "
        f'expected "#/components/schemas/{old}", got "#/components/schemas/{new}"',
        "components.schemas.PlannerRequest.properties.poi_info['$ref']: "
        f'expected "#/components/schemas/{old}", got "#/components/schemas/{new}"',
    ]


def test_missing_security_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        del doc["paths"]["/planner/v2"]["post"]["security"]

    assert contract_differences(contract, _altered(contract, change)) == [
        "paths['/planner/v2'].post.security: missing (expected "
        '[{"HybridAuthBearer": []}, {"HTTPBearer": []}])'
    ]


def test_a_missing_security_scheme_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        del doc["components"]["securitySchemes"]["HybridAuthBearer"]

    assert contract_differences(contract, _altered(contract, change)) == [
        "components.securitySchemes.HybridAuthBearer: missing (expected "
        '{"scheme": "bearer", "type": "http"})'
    ]


def test_a_changed_enum_order_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        _schemas(doc)["api__features__poi__schemas__ConnectorType"]["enum"] = ["CCS", "MCS"]

    assert contract_differences(contract, _altered(contract, change)) == [
        "components.schemas.api__features__poi__schemas__ConnectorType.enum[0]: "
        'expected "MCS", got "CCS"',
        "components.schemas.api__features__poi__schemas__ConnectorType.enum[1]: "
        'expected "CCS", got "MCS"',
    ]


def test_a_description_the_contract_lacks_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        _schemas(doc)["TollSummary"]["description"] = "Toll totals."

    assert contract_differences(contract, _altered(contract, change)) == [
        'components.schemas.TollSummary.description: unexpected (got "Toll totals.")'
    ]


def test_a_changed_response_status_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        responses = doc["paths"]["/planner/v2"]["post"]["responses"]
        responses["200"] = responses.pop("202")

    assert contract_differences(contract, _altered(contract, change)) == [
        "paths['/planner/v2'].post.responses['202']: missing"
    ]


def test_a_missing_path_and_operation_id_change_are_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        del doc["paths"]["/planner/jobs"]
        doc["paths"]["/planner"]["post"]["operationId"] = "plan"

    assert contract_differences(contract, _altered(contract, change)) == [
        'paths[\'/planner\'].post.operationId: expected "plan_tour_planner_post", got "plan"',
        "paths['/planner/jobs']: missing (expected methods ['get'])",
    ]


def test_extensions_are_not_differences(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["paths"]["/health"] = {"get": {"operationId": "health", "responses": {}}}
        doc["paths"]["/planner/jobs/{job_id}"]["delete"] = {"operationId": "cancel_job"}
        operation = doc["paths"]["/planner/v2"]["post"]
        operation["responses"]["429"] = {"description": "Too Many Requests"}
        operation["parameters"].append(
            {"name": "explain", "in": "query", "required": False, "schema": {"type": "boolean"}}
        )
        _schemas(doc)["ResultSection"]["properties"]["stop_type"] = {"type": "string"}
        _schemas(doc)["ErrorResponse"] = {"type": "object"}
        doc["components"]["securitySchemes"]["ApiKey"] = {"type": "apiKey"}

    assert contract_differences(contract, _altered(contract, change)) == []


def test_an_extra_property_on_a_closed_model_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        _schemas(doc)["SectionRequest"]["properties"]["stop_type"] = {"type": "string"}

    assert contract_differences(contract, _altered(contract, change)) == [
        "components.schemas.SectionRequest.properties.stop_type: unexpected "
        '(got {"type": "string"})'
    ]


def test_a_marked_extension_property_on_a_closed_model_is_not_a_difference(
    contract: dict[str, Any],
) -> None:
    def change(doc: dict[str, Any]) -> None:
        schema = {"type": "boolean", EXTENSION_MARKER: True}
        _schemas(doc)["SectionRequest"]["properties"]["driver_free_during_service"] = schema

    assert contract_differences(contract, _altered(contract, change)) == []


def test_a_required_extension_property_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        schema = {"type": "object", EXTENSION_MARKER: True}
        _schemas(doc)["PlannerRequest"]["properties"]["driver_rules"] = schema
        _schemas(doc)["PlannerRequest"]["required"].append("driver_rules")

    assert contract_differences(contract, _altered(contract, change)) == [
        "components.schemas.PlannerRequest.required: unexpected entry 'driver_rules'"
    ]


def test_served_extensions_on_closed_models_are_marked(served: dict[str, Any]) -> None:
    schemas = _schemas(served)
    for model, name in (
        ("PlannerRequest", "driver_rules"),
        ("PlannerRequest", "driver_state"),
        ("SectionRequest", "driver_free_during_service"),
        ("SectionRequest", "power_curve"),
        ("OptimizationResultResponse", "activity_timeline"),
    ):
        assert schemas[model]["properties"][name][EXTENSION_MARKER] is True, (model, name)
        assert "description" in schemas[model]["properties"][name]


def test_an_extra_required_parameter_is_reported(contract: dict[str, Any]) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["paths"]["/planner/v2"]["post"]["parameters"].append(
            {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}}
        )

    assert contract_differences(contract, _altered(contract, change)) == [
        "paths['/planner/v2'].post.parameters['region' in query]: unexpected required parameter"
    ]


# ---------------------------------------------------------------------------------------------
# voltroute.api.openapi on small apps
# ---------------------------------------------------------------------------------------------


def _small_app() -> FastAPI:
    app = FastAPI()

    @app.post("/marked", openapi_extra=AUTH_OPENAPI_EXTRA)
    def marked(body: POIInfo) -> POIInfo:
        return body

    @app.get("/bearer", dependencies=[Depends(HTTPBearer(scheme_name="HybridAuthBearer"))])
    def bearer() -> None:
        return None

    @app.get("/open")
    def open_endpoint() -> None:
        return None

    return app


def test_contract_openapi_gives_authenticated_operations_the_contract_security() -> None:
    document = contract_openapi(_small_app())

    assert document["paths"]["/marked"]["post"]["security"] == CONTRACT_SECURITY
    assert "x-voltroute-auth" not in document["paths"]["/marked"]["post"]
    assert document["paths"]["/bearer"]["get"]["security"] == CONTRACT_SECURITY
    assert "security" not in document["paths"]["/open"]["get"]
    assert document["components"]["securitySchemes"] == SECURITY_SCHEMES


def test_contract_openapi_renames_the_poi_components_and_their_references() -> None:
    document = contract_openapi(_small_app())

    names = set(document["components"]["schemas"])
    assert "POIInfo" not in names
    assert {
        "api__features__poi__schemas__POIInfo",
        "api__features__poi__schemas__TruckApproved",
        "api__features__poi__schemas__ConnectorType",
        "api__features__poi__schemas__ConnectorPos",
    } <= names
    assert "#/components/schemas/POIInfo" not in json.dumps(document)
    body = document["paths"]["/marked"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/api__features__poi__schemas__POIInfo"}


def test_module_qualified_names_from_a_name_clash_are_renamed_too() -> None:
    ref = "#/components/schemas/voltroute__api__schemas__poi__POIInfo"
    document: dict[str, Any] = {
        "paths": {"/x": {"post": {"requestBody": {"schema": {"$ref": ref}}}}},
        "components": {"schemas": {"voltroute__api__schemas__poi__POIInfo": {"type": "object"}}},
    }

    apply_contract_conventions(document)

    assert document["components"]["schemas"] == {
        "api__features__poi__schemas__POIInfo": {"type": "object"}
    }
    assert document["paths"]["/x"]["post"]["requestBody"]["schema"] == {
        "$ref": "#/components/schemas/api__features__poi__schemas__POIInfo"
    }


def test_installed_openapi_is_cached_and_rebuilt_when_routes_change() -> None:
    app = _small_app()
    install_contract_openapi(app)
    first = app.openapi()

    assert app.openapi() is first

    @app.get("/later")
    def later() -> None:
        return None

    assert "/later" in app.openapi()["paths"]
