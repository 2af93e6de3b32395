"""Runtime feature flags: rows of the app's own `feature_flags` table.

The guide's FeatureFlagService reads `feature_flags(name, enabled, user_overrides,
updated_at)` from the environment's database (`DATABASE_URL`) on each request, and a
user's row in `user_feature_flags(user_id, flag_name, enabled)` when the flag allows
overrides. Unlike `[flags]`, which reach the app as environment variables at build
time, these change without a deployment: `flags plan` and `flags apply` write them.
"""

from __future__ import annotations

from pydantic import Field

from meterr_config.models.base import StrictModel


class RuntimeFlag(StrictModel):
    """One row of `feature_flags`, as the models want it."""

    enabled: bool = Field(description="Whether the flag is on for everyone.")
    user_overrides: bool = Field(
        default=False,
        description="Whether a user's own row in user_feature_flags decides for that user.",
    )
    description: str | None = Field(
        default=None,
        description="What the flag switches; written to the table's description column "
        "when it has one. Never shown in a report: only whether it differs.",
    )
