"""Plan -> a few short lines that read well on a phone screen.

Numbers are printed exactly as the policy writes them; the sources stay in the JSON.
"""
from __future__ import annotations

from .planner import Plan, Step

TOPIC_TITLES = {
    "concern": "a concern about a child",
    "immediate-danger": "a child in immediate danger",
    "allegation-staff": "an allegation about a member of staff or volunteer",
    "allegation-head": "an allegation about the head or safeguarding lead",
    "fgm": "female genital mutilation (FGM)",
    "radicalisation": "radicalisation (Prevent)",
    "whistleblowing": "whistleblowing",
}


def _status(step: Step) -> str:
    if step.phone is None:
        return "no number in the policy"
    if step.open_now is True:
        text = "open now" if step.opens != "24 hours" else "24 hours"
    elif step.open_now is False:
        text = "closed now"
    else:
        return step.opens if step.opens != "hours not stated in the policy" else ""
    if step.next_change:
        text += f", {step.next_change}"
    return text + ("; hours assumed" if step.hours_assumed else "")


def _line(step: Step) -> str:
    who = f"{step.name}, {step.role}" if step.name else step.role
    phones = " or ".join([step.phone, *step.other_phones]) if step.phone else None
    head = f"{step.order}. {who}: {phones}" if phones else f"{step.order}. {who}"
    status = _status(step)
    if status:
        head += f" ({status})"
    if step.email and not step.phone:
        head += f" – {step.email}"
    return head + (f"\n   {step.why}" if step.why else "")


def format_plan(plan: Plan, max_steps: int | None = None) -> str:
    """Short plain text: a heading, numbered steps, then notes."""
    when = f"{plan.at:%a} {plan.at.day} {plan.at:%b} {plan.at:%H:%M}"
    place = f", {plan.area_name}" if plan.area_name else ""
    lines = [f"{plan.org_name}{place} – {TOPIC_TITLES.get(plan.topic, plan.topic)} ({when})"]
    steps = plan.steps if max_steps is None else plan.steps[:max_steps]
    lines += [_line(s) for s in steps]
    if len(steps) < len(plan.steps):
        lines.append(f"(+{len(plan.steps) - len(steps)} more)")
    if plan.notes:
        lines.append("Notes:")
        lines += [f"- {n}" for n in plan.notes]
    return "\n".join(lines)


def _brief_line(step: Step) -> str:
    who = f"{step.name}, {step.role}" if step.name else step.role
    if step.phone:
        status = "open now" if step.open_now else ("closed now" if step.open_now is False else "")
        if step.hours_assumed and status:
            status += "; hours assumed, check with your lead"
        return f"{step.order}. {who}: {step.phone}" + (f" ({status})" if status else "")
    return f"{step.order}. {who} (no number in the policy: ask your manager)"


def format_brief(plan: Plan, max_steps: int = 3) -> str:
    """The first few people to ring, one line each, for replies inside a longer conversation.

    Missing numbers and assumed hours are still said on the line itself.
    """
    place = f", {plan.area_name}" if plan.area_name else ""
    lines = [f"Who to ring now ({plan.org_name}{place}):"]
    steps = list(plan.steps[:max_steps])
    if not any(s.phone and s.phone != "999" for s in steps):
        # Never leave the worker with only names: add the first later step that has a number.
        steps += [s for s in plan.steps[max_steps:] if s.phone][:1]
    lines += [_brief_line(s) for s in steps]
    if len(plan.steps) > len(steps):
        lines.append(f"…and {len(plan.steps) - len(steps)} more if nobody answers: tap \"Who do I call?\".")
    if plan.needs_area:
        lines.append("Which area is the child in? The local numbers depend on it.")
    return "\n".join(lines)
