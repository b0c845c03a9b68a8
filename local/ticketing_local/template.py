"""Reading the SAM template: CloudFormation tags, intrinsic functions, and what it declares.

The local stack takes tables, buckets, queues, routes, schedules and environment variables from
``infra/template.yaml`` alone, so that what runs locally is what deploys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = REPO_ROOT / "infra" / "template.yaml"

ACCOUNT_ID = "123456789012"
REGION = "eu-central-1"
PARTITION = "aws"


class CloudFormationLoader(yaml.SafeLoader):
    """A YAML loader that turns ``!Ref x`` into ``{"Ref": "x"}`` and ``!Sub`` into ``Fn::Sub``."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


CloudFormationLoader.add_multi_constructor("!", _tag)


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=CloudFormationLoader)  # noqa: S506 - SafeLoader subclass
    if not isinstance(data, dict) or "Resources" not in data:
        raise ValueError(f"{path} is not a CloudFormation template")
    return data


@dataclass
class Route:
    method: str
    path: str
    function: str
    authorized: bool

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{(\w+)\\\+\\\}", r"(?P<\1>.+)", re.escape(self.path))
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", regex)
        return re.compile(f"^{regex}$")


@dataclass(frozen=True)
class ScheduleSpec:
    expression: str
    input: str | None  # the JSON EventBridge Scheduler delivers; None for its default event


@dataclass
class Function:
    logical_id: str
    code_dir: Path
    handler: str
    environment: dict[str, str]
    timeout: int
    routes: list[Route] = field(default_factory=list)
    queues: list[tuple[str, int]] = field(default_factory=list)  # (queue logical id, batch size)
    schedules: list[ScheduleSpec] = field(default_factory=list)


@dataclass
class GatewayResponse:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Stack:
    """What the template declares, with every intrinsic resolved to its local value."""

    template: dict[str, Any]
    physical: dict[str, str]
    functions: dict[str, Function]
    routes: list[Route]
    authorizer: str | None
    gateway_responses: dict[str, GatewayResponse]
    parameters: dict[str, str]
    # Globals' variables: every function has them (each function's environment includes them)
    global_environment: dict[str, str] = field(default_factory=dict)


class Resolver:
    """Evaluates Ref, GetAtt, Sub, Join, If-free intrinsics against local physical names."""

    def __init__(
        self,
        template: dict[str, Any],
        physical: dict[str, str],
        attributes: dict[tuple[str, str], str],
        parameters: dict[str, str],
    ) -> None:
        self.template = template
        self.physical = physical
        self.attributes = attributes
        self.parameters = parameters
        self.pseudo = {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Partition": PARTITION,
            "AWS::StackName": "ticketing-local",
            "AWS::URLSuffix": "amazonaws.com",
        }

    def ref(self, name: str) -> str:
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.physical:
            return self.physical[name]
        raise KeyError(f"template refers to unknown name {name!r}")

    def get_att(self, name: str, attribute: str) -> str:
        try:
            return self.attributes[(name, attribute)]
        except KeyError:
            raise KeyError(f"template asks for unknown attribute {name}.{attribute}") from None

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                name, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.get_att(name, attribute)
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::Join":
                separator, parts = arg
                return separator.join(str(self.resolve(p)) for p in parts)
            if key == "Fn::Select":
                index, items = arg
                return self.resolve(items)[int(index)]
            if key == "Fn::Split":
                separator, text = arg
                return str(self.resolve(text)).split(separator)
        return {k: self.resolve(v) for k, v in value.items()}

    def _sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
        local = {k: str(self.resolve(v)) for k, v in variables.items()}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in local:
                return local[name]
            if "." in name and name.split(".", 1)[0] not in self.pseudo:
                resource, attribute = name.split(".", 1)
                return self.get_att(resource, attribute)
            return str(self.ref(name))

        return re.sub(r"\$\{([^}]+)\}", replace, text)


def _parameters(template: dict[str, Any], overrides: dict[str, str]) -> dict[str, str]:
    values = {
        name: str(spec.get("Default", ""))
        for name, spec in (template.get("Parameters") or {}).items()
    }
    values.update(overrides)
    return values


def physical_names(template: dict[str, Any]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Local names and attributes for every resource, as CloudFormation would report them."""
    physical: dict[str, str] = {}
    attributes: dict[tuple[str, str], str] = {}
    prefix = f"arn:{PARTITION}"
    for name, resource in template["Resources"].items():
        kind = resource.get("Type", "")
        local = f"ticketing-{name}"
        if kind == "AWS::DynamoDB::Table":
            physical[name] = local
            attributes[(name, "Arn")] = f"{prefix}:dynamodb:{REGION}:{ACCOUNT_ID}:table/{local}"
        elif kind == "AWS::S3::Bucket":
            bucket = local.lower()
            physical[name] = bucket
            attributes[(name, "Arn")] = f"{prefix}:s3:::{bucket}"
        elif kind == "AWS::SQS::Queue":
            # the URL is only known once the queue exists; the local stack fills it in
            physical[name] = local
            attributes[(name, "Arn")] = f"{prefix}:sqs:{REGION}:{ACCOUNT_ID}:{local}"
            attributes[(name, "QueueName")] = local
        elif kind == "AWS::Serverless::Function":
            physical[name] = local
            attributes[(name, "Arn")] = f"{prefix}:lambda:{REGION}:{ACCOUNT_ID}:function:{local}"
        else:
            physical[name] = local
            attributes[(name, "Arn")] = f"{prefix}:local:{REGION}:{ACCOUNT_ID}:{local}"
    return physical, attributes


def read_stack(
    template: dict[str, Any],
    queue_urls: dict[str, str],
    parameters: dict[str, str] | None = None,
    template_dir: Path = TEMPLATE_PATH.parent,
) -> Stack:
    """Resolve the template against local resources (queue URLs from the running moto)."""
    params = _parameters(template, parameters or {})
    physical, attributes = physical_names(template)
    physical.update(queue_urls)
    resolver = Resolver(template, physical, attributes, params)

    globals_ = (template.get("Globals") or {}).get("Function") or {}
    global_env = ((globals_.get("Environment") or {}).get("Variables")) or {}
    functions: dict[str, Function] = {}
    routes: list[Route] = []
    authorizer_function: str | None = None
    default_authorizer: str | None = None

    for name, resource in template["Resources"].items():
        kind = resource.get("Type")
        props = resource.get("Properties") or {}
        if kind == "AWS::Serverless::Api":
            auth = props.get("Auth") or {}
            default_authorizer = auth.get("DefaultAuthorizer")
            for authorizer_name, spec in (auth.get("Authorizers") or {}).items():
                if authorizer_name == default_authorizer:
                    arn = spec.get("FunctionArn") or {}
                    target = arn.get("Fn::GetAtt") if isinstance(arn, dict) else None
                    if not target:
                        raise ValueError(f"authorizer {authorizer_name} needs FunctionArn: !GetAtt")
                    authorizer_function = target[0]
        if kind != "AWS::Serverless::Function":
            continue
        env = {**global_env, **((props.get("Environment") or {}).get("Variables") or {})}
        function = Function(
            logical_id=name,
            code_dir=(template_dir / props["CodeUri"]).resolve(),
            handler=props.get("Handler", "app.handler"),
            environment={k: str(resolver.resolve(v)) for k, v in env.items()},
            timeout=int(props.get("Timeout", globals_.get("Timeout", 3))),
        )
        for event in (props.get("Events") or {}).values():
            event_props = event.get("Properties") or {}
            if event.get("Type") == "Api":
                auth = (event_props.get("Auth") or {}).get("Authorizer", default_authorizer)
                route = Route(
                    method=event_props["Method"].upper(),
                    path=event_props["Path"],
                    function=name,
                    authorized=auth not in (None, "NONE"),
                )
                function.routes.append(route)
                routes.append(route)
            elif event.get("Type") == "SQS":
                queue = event_props["Queue"]
                queue_name = queue["Fn::GetAtt"][0] if isinstance(queue, dict) else str(queue)
                function.queues.append((queue_name, int(event_props.get("BatchSize", 10))))
            elif event.get("Type") in ("Schedule", "ScheduleV2"):
                given = event_props.get("Input")
                function.schedules.append(
                    ScheduleSpec(
                        expression=str(resolver.resolve(event_props["ScheduleExpression"])),
                        input=None if given is None else str(resolver.resolve(given)),
                    )
                )
        functions[name] = function

    return Stack(
        template=template,
        physical=physical,
        functions=functions,
        routes=routes,
        authorizer=authorizer_function,
        gateway_responses=_gateway_responses(template),
        parameters=params,
        global_environment={k: str(resolver.resolve(v)) for k, v in global_env.items()},
    )


def _gateway_responses(template: dict[str, Any]) -> dict[str, GatewayResponse]:
    """API Gateway's own answers (401, 403, ...) by response type, as the template words them."""
    responses: dict[str, GatewayResponse] = {}
    for resource in template["Resources"].values():
        if resource.get("Type") != "AWS::ApiGateway::GatewayResponse":
            continue
        props = resource["Properties"]
        headers = {
            key.removeprefix("gatewayresponse.header."): str(value).strip("'")
            for key, value in (props.get("ResponseParameters") or {}).items()
            if key.startswith("gatewayresponse.header.")
        }
        templates = props.get("ResponseTemplates") or {}
        responses[props["ResponseType"]] = GatewayResponse(
            status=int(props.get("StatusCode", 0) or 0),
            headers=headers,
            body=str(templates.get("application/json", "")),
        )
    return responses
