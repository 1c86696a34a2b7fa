# Schemathesis hooks for the API contract test (api-contract.test.ts): path parameters are drawn from the
# ids that exist on the server under test (campaigns, units, users, instruments, links) as often as they
# are generated from the schema, so operations are exercised on real resources, not only answered 404.
# PIKIR_REAL_IDS names a JSON file: { "<path template>": [ { "<param>": "<value>", ... }, ... ] }.
import json
import os

import schemathesis
from hypothesis import strategies as st

with open(os.environ["PIKIR_REAL_IDS"], encoding="utf-8") as f:
    REAL_IDS = json.load(f)


@schemathesis.hook
def before_generate_path_parameters(ctx, strategy):
    choices = REAL_IDS.get(ctx.operation.path) if ctx.operation is not None else None
    if not choices:
        return strategy
    real = st.sampled_from(choices).map(dict)
    # Three parts real ids, one part generated ones (unknown ids, hostile strings).
    return st.one_of(real, real, real, strategy)


# Values Schemathesis reads from answers (extra data sources) may include the signed-in admin's own id:
# resetting that account's password or disabling it would end the run's session. PIKIR_PROTECTED_IDS
# (comma-separated) are never used as path parameters.
PROTECTED = {v for v in os.environ.get("PIKIR_PROTECTED_IDS", "").split(",") if v}


@schemathesis.hook
def filter_case(ctx, case):
    params = case.path_parameters or {}
    return not any(str(v) in PROTECTED for v in params.values())
