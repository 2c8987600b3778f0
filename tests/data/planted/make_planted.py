"""Write the planted-messages corpus used by tests/test_messages*.py.

Eight recurring messages (P1..P8) are each written many times in different wordings, at
different frequencies (10 to 45 comments) and spreads (2 to 6 of the 6 sessions), among a tail
of minor points (3-5 comments each, from one or two sessions, as when one table's discussion
produces several comments), one-off comments, event feedback (frame
``none``) and a few blank units. Every comment carries its gold frame and themes, and its gold
message in the column ``gold_message`` ("P1".., "minor.<name>", "" for one-offs, "feedback").

Outputs (next to this file, deterministic)::

    planted.csv        about 300 comments, 6 sessions, 6 agencies
    planted_small.csv  40 comments from a single session (the small-data path)

Run ``python tests/data/planted/make_planted.py`` to rewrite them.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SESSIONS = ("S1", "S2", "S3", "S4", "S5", "S6")
LOCALITY = {"S1": "North", "S2": "North", "S3": "South", "S4": "South", "S5": "East", "S6": "East"}
AGENCIES = ("Social work", "Health", "Education", "Police", "Adult services", "Third sector")

# id -> (short name, themes, planted sessions, agency weights, [(text, frame), ...])
PLANTED: dict[str, tuple[str, str, tuple[str, ...], dict[str, int], list[tuple[str, str]]]] = {
    "P1": ("CP supervision for health visitors", "practice.supervision", SESSIONS,
           {"Health": 6, "Social work": 2, "Education": 1, "Third sector": 1}, [
        ("Health visitors need regular child protection supervision.", "start"),
        ("CP supervision for health visitors should be protected time.", "start"),
        ("We would like formal child protection supervision for HVs, not just ad hoc chats.", "start"),
        ("Health visitors should get child protection supervision at least every three months.", "start"),
        ("Introduce reflective CP supervision for the health visiting team.", "start"),
        ("HVs carry a lot of child protection cases with no supervision - that needs to change.", "start"),
        ("Supervision for health visitors holding child protection cases.", "start"),
        ("Make safeguarding supervision mandatory for all health visitors.", "start"),
        ("More CP supervision for health visiting staff.", "start"),
        ("Health visitors have nobody to talk a child protection case through with; give them proper supervision.", "start"),
        ("We need a child protection supervisor for the HV team.", "start"),
        ("Regular one to one supervision on child protection cases for health visitors.", "start"),
        ("I will ask my manager for child protection supervision sessions for our health visitors.", "start"),
        ("Health visitor supervision on CP cases is patchy and should be consistent across the area.", "start"),
        ("Keep the quarterly child protection supervision for health visitors.", "keep"),
        ("Protected time for health visitors to have safeguarding supervision.", "start"),
        ("Group supervision for health visitors on complex child protection cases.", "start"),
        ("Child protection supervision should be offered to health visitors, the same as social workers get.", "start"),
        ("Stop cancelling health visitors' CP supervision when the team is busy.", "stop"),
        ("HVs should have access to specialist child protection advisers for supervision.", "start"),
        ("Better supervision arrangements for health visitors working with families on the child protection register.", "start"),
        ("Health visiting staff want more support and supervision with their child protection caseload.", "start"),
        ("CP supervision for HVs every 6-8 weeks.", "start"),
        ("Child protection supervision for the health visitors - it is the main thing we are missing.", "start"),
        ("Supervision of health visitors' child protection work needs to be built into their week.", "start"),
        ("Health visitors should be able to book safeguarding supervision when a case worries them.", "start"),
        ("Give health visitors regular reflective supervision on children on the register.", "start"),
        ("Our health visitors are not getting child protection supervision at all.", "start"),
        ("Supervision for HVs on child protection needs to be formalised and recorded.", "start"),
        ("Health visitors would benefit from structured CP supervision with a senior nurse.", "start"),
        ("Ensure every health visitor has child protection supervision with their caseload reviewed.", "start"),
        ("Safeguarding supervision for health visitors with high CP caseloads.", "start"),
        ("The CP supervision model that social work has should be extended to health visiting.", "start"),
        ("Child protection supervision for public health nurses and health visitors.", "start"),
        ("We need regular supervision for health visitors holding children on the CP register.", "start"),
        ("Keep providing child protection supervision to the health visiting service.", "keep"),
        ("Health visitors feel unsupported - child protection supervision would help.", "start"),
        ("More frequent CP supervision for health visitors, not once a year.", "start"),
        ("Supervision for HVs: case discussion on every child on the register.", "start"),
        ("Health visitors to receive child protection supervision from the named nurse.", "start"),
        ("Regular safeguarding supervision for HVs should be the norm.", "start"),
        ("A supervision framework for health visitors doing child protection work.", "start"),
        ("Child protection supervision for health visitors is working well where it happens.", "good_practice"),
        ("Health visitors should not be holding CP cases without supervision.", "start"),
        ("Invest in CP supervision for health visitors.", "start"),
    ]),
    "P2": ("adult mental health not attending case conferences",
           "risk.mental_health;practice.multiagency;practice.adult_services", SESSIONS,
           {"Social work": 4, "Health": 3, "Education": 1, "Police": 1, "Adult services": 1}, [
        ("Adult mental health should attend child protection case conferences.", "start"),
        ("Adult mental health services rarely come to case conferences.", "start"),
        ("Get adult mental health to case conferences when a parent is their patient.", "start"),
        ("Psychiatrists and CPNs need to attend CP case conferences for parents they treat.", "start"),
        ("Adult mental health staff never turn up to case conferences.", "start"),
        ("Stop holding case conferences without the parent's mental health worker there.", "stop"),
        ("Adult mental health services need to be part of case conferences.", "start"),
        ("We need adult psychiatry represented at child protection conferences.", "start"),
        ("The community mental health team does not send anyone to case conferences.", "start"),
        ("Adult mental health workers should give reports to case conferences if they cannot attend.", "start"),
        ("Make attendance at case conferences an expectation for adult mental health.", "start"),
        ("Adult mental health are missing from child protection case conferences.", "start"),
        ("The parent's psychiatrist should be invited to, and attend, the case conference.", "start"),
        ("Poor attendance of adult mental health at case conferences.", "start"),
        ("Adult services, especially mental health, need to come to CP conferences.", "start"),
        ("CPNs should attend case conferences about their patients' children.", "start"),
        ("Adult mental health's absence from case conferences means we lack the full picture of risk.", "start"),
        ("Case conferences need input from adult mental health services.", "start"),
        ("Adult mental health to attend initial and review case conferences.", "start"),
        ("Engage adult mental health in case conferences - they hold key information about the parent.", "start"),
        ("Mental health services for adults should be at the table at child protection case conferences.", "start"),
        ("We keep having case conferences with no one from adult mental health.", "stop"),
        ("Adult mental health professionals rarely contribute to case conferences.", "start"),
        ("Get psychiatric services to attend child protection conferences.", "start"),
        ("Adult mental health need to see case conferences as part of their job.", "start"),
        ("Stop adult mental health opting out of case conferences.", "stop"),
        ("Adult mental health attendance at CP case conferences should be monitored.", "start"),
        ("Invite the adult mental health team to every case conference where parental mental health is a concern.", "start"),
        ("The adult mental health team should send a representative to case conferences.", "start"),
        ("Case conferences are weakened because adult mental health services are not there.", "start"),
        ("Adult mental health workers do not see child protection conferences as their business.", "start"),
        ("Adult mental health clinicians need to attend and share information at case conferences.", "start"),
        ("Better attendance from adult psychiatry at case conferences.", "start"),
        ("Adult mental health services are not engaging with child protection case conferences.", "start"),
        ("Parental mental health is discussed at case conferences but adult mental health are never there.", "start"),
        ("Adult mental health should prioritise attending case conferences.", "start"),
        ("Expect adult mental health staff at child protection case conferences.", "start"),
        ("Lack of adult mental health at case conferences.", "start"),
        ("Adult mental health colleagues should come to case conferences or at least dial in.", "start"),
        ("We need adult mental health services present at case conferences for parents with mental illness.", "start"),
    ]),
    "P3": ("chronologies started too late", "practice.chronologies", SESSIONS[:5],
           {"Social work": 4, "Health": 2, "Education": 2, "Police": 1, "Third sector": 1}, [
        ("Chronologies are started too late in the case.", "start"),
        ("Start the chronology at the first concern, not when the case reaches child protection.", "start"),
        ("Stop leaving chronologies until a case conference is called.", "stop"),
        ("Chronologies should be started earlier.", "start"),
        ("We only begin a chronology when things have already gone wrong.", "start"),
        ("Begin chronologies as soon as there are concerns.", "start"),
        ("Chronologies are often only started at the point of a child protection referral - too late.", "start"),
        ("Start chronologies early so patterns of neglect can be seen.", "start"),
        ("A chronology should be opened at first contact with the family.", "start"),
        ("Chronologies get started far too late to be useful.", "start"),
        ("Stop waiting for a crisis before starting a chronology.", "stop"),
        ("Earlier chronologies would show the build-up of concerns.", "start"),
        ("Chronologies need to begin at the early intervention stage, not at child protection.", "start"),
        ("Late chronologies mean we miss the cumulative picture.", "start"),
        ("Start a chronology of significant events from day one.", "start"),
        ("All agencies should start their chronology when a concern is first raised.", "start"),
        ("Chronologies are being started retrospectively, months after the concerns began.", "start"),
        ("Don't leave the chronology until the case escalates.", "stop"),
        ("Chronologies should start while the child is still at the early help stage.", "start"),
        ("The chronology is usually started too late to inform decisions.", "start"),
        ("Start chronologies earlier in every agency.", "start"),
        ("Chronologies begun late miss years of history.", "start"),
        ("We need chronologies from the very first worry, not from the referral.", "start"),
        ("Starting chronologies late is a recurring problem.", "start"),
        ("Open a chronology as soon as a pattern of concern appears.", "start"),
        ("Chronology work starts too late in most cases.", "start"),
        ("Chronologies need to be started much sooner.", "start"),
        ("Chronologies are only put together when the case goes to conference.", "start"),
        ("Stop starting chronologies at the point of registration.", "stop"),
        ("An early chronology would have shown the risks sooner.", "start"),
        ("Chronologies should be started when concerns first emerge, not later.", "start"),
        ("Late starting of chronologies.", "start"),
    ]),
    "P4": ("more multi-agency training", "practice.training;practice.multiagency", SESSIONS[1:5],
           {"Social work": 2, "Health": 2, "Education": 2, "Police": 1, "Adult services": 1, "Third sector": 1}, [
        ("More multi-agency training.", "start"),
        ("We need more multi-agency training sessions.", "start"),
        ("Keep the multi-agency training going and offer more of it.", "keep"),
        ("More joint training with other agencies.", "start"),
        ("Multi-agency training should happen more often.", "start"),
        ("Train together across agencies more regularly.", "start"),
        ("More opportunities for multi-agency child protection training.", "start"),
        ("Increase the number of multi-agency training courses.", "start"),
        ("Joint training with police, health and education would help us understand each other.", "start"),
        ("Interagency training should be offered every year.", "start"),
        ("More places on multi-agency training courses.", "start"),
        ("Multi-agency training days, more of them please.", "start"),
        ("I would like more training delivered jointly across agencies.", "start"),
        ("Keep doing multi-agency training.", "keep"),
        ("Regular interagency child protection training for all staff.", "start"),
        ("More shared training between social work, health and schools.", "start"),
        ("Multi-agency training helps build relationships - we need more.", "start"),
        ("Release staff to attend multi-agency training.", "start"),
        ("More multi-agency learning events like this one.", "start"),
        ("Training should be multi-agency rather than single agency.", "start"),
        ("Offer more multi-agency training on child protection.", "start"),
        ("More interagency training opportunities.", "start"),
        ("Joint multi-agency training for frontline practitioners.", "start"),
        ("Continue and expand multi-agency training.", "keep"),
        ("Multi-agency training should be rolled out more widely.", "start"),
        ("More cross-agency training.", "start"),
    ]),
    "P5": ("stop discharging families who miss appointments", "practice.service_access",
           ("S1", "S3", "S6"), {"Health": 4, "Social work": 2, "Education": 1, "Third sector": 2}, [
        ("Stop discharging families who miss appointments.", "stop"),
        ("Families who do not attend appointments should not be discharged.", "stop"),
        ("Stop closing cases when families miss appointments.", "stop"),
        ("Discharging children after two missed appointments leaves them unseen.", "stop"),
        ("Don't discharge a child because the parent failed to bring them.", "stop"),
        ("Stop the policy of discharging after non-attendance.", "stop"),
        ("Missed appointments should trigger follow-up, not discharge.", "start"),
        ("Stop discharging children who are not brought to clinic.", "stop"),
        ("Services discharge families who miss appointments - this should end.", "stop"),
        ("Discharge for non-attendance puts children at risk.", "stop"),
        ("Stop removing families from waiting lists when they miss one appointment.", "stop"),
        ("Non-attendance should be treated as a concern, not a reason to discharge.", "start"),
        ("Stop discharging vulnerable families for DNAs.", "stop"),
        ("Families missing appointments get discharged and the child is lost to services.", "stop"),
        ("Stop automatic discharge when families do not attend.", "stop"),
        ("A child not brought to appointments should not be discharged without checking with other agencies.", "start"),
        ("No more discharging families who miss appointments without a multi-agency discussion.", "stop"),
        ("Stop closing referrals because the family didn't turn up.", "stop"),
        ("Stop discharging parents from services when they miss appointments.", "stop"),
        ("Discharging families who don't attend is a risk for the child.", "stop"),
    ]),
    "P6": ("joint visits with police work well", "practice.multiagency", SESSIONS,
           {"Social work": 4, "Police": 4, "Health": 1}, [
        ("Joint visits with police work well.", "good_practice"),
        ("Joint home visits with the police are working really well.", "good_practice"),
        ("Keep doing joint visits with police.", "keep"),
        ("Social work and police visiting together has been effective.", "good_practice"),
        ("Joint visits with police officers give families a consistent message.", "good_practice"),
        ("Police and social work joint visits are now the norm and work well.", "good_practice"),
        ("Carrying out joint visits with the police works.", "good_practice"),
        ("Keep the joint visits between police and social workers.", "keep"),
        ("Joint police and social work visits have improved our response.", "good_practice"),
        ("Visiting jointly with police colleagues is good practice.", "good_practice"),
        ("Joint visiting with the police has been very positive.", "good_practice"),
        ("The joint visits with police are helpful for families and staff.", "good_practice"),
        ("Continue joint visits with police.", "keep"),
        ("Joint visits with the police domestic abuse unit work well.", "good_practice"),
        ("Police and social workers doing joint visits is a strength.", "good_practice"),
        ("Joint visits with police mean we only ask the family once.", "good_practice"),
    ]),
    "P7": ("information sharing with GPs is slow", "practice.information_sharing", ("S2", "S5"),
           {"Social work": 3, "Police": 1, "Education": 1}, [
        ("Information sharing with GPs is slow.", "start"),
        ("GPs take weeks to share information with us.", "start"),
        ("Getting information from GPs is far too slow.", "start"),
        ("Faster information sharing with GP practices.", "start"),
        ("Slow responses from GPs when we request information.", "start"),
        ("Stop waiting weeks for GP information - we need it quickly.", "stop"),
        ("Information from general practice arrives too late for case conferences.", "start"),
        ("GP practices should share information more quickly.", "start"),
        ("Delays in information sharing from GPs.", "start"),
        ("GPs are slow to respond to requests for information about families.", "start"),
        ("Speed up information sharing between GPs and social work.", "start"),
        ("Information from GPs is slow to come through.", "start"),
    ]),
    "P8": ("named person role unclear", "practice.early_intervention;finding.roles", ("S4", "S6"),
           {"Education": 3, "Health": 2, "Social work": 1}, [
        ("The named person role is unclear.", "start"),
        ("Clarify the role of the named person.", "start"),
        ("Nobody is sure what the named person is supposed to do.", "start"),
        ("Confusion about the named person's role.", "start"),
        ("The named person role needs to be clearer for schools and health visitors.", "start"),
        ("What the named person does is not understood by other agencies.", "start"),
        ("Clearer guidance on the named person role.", "start"),
        ("Named person responsibilities are confusing.", "start"),
        ("The named person role is not clear to families or staff.", "start"),
        ("We need clarity on the role and remit of the named person.", "start"),
    ]),
}

# minor recurring points: name -> (themes, [(text, frame), ...]); sessions drawn at random
MINOR: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "paperwork": ("practice.paperwork", [
        ("Less paperwork - the integrated assessment framework takes hours.", "start"),
        ("Stop duplicating the same information on different forms.", "stop"),
        ("Too much time on paperwork instead of with families.", "start"),
        ("The forms are too long and repetitive.", "start"),
        ("Simplify the paperwork for child's plans.", "start"),
    ]),
    "child_voice": ("finding.child_voice", [
        ("Make sure the child is seen on their own.", "start"),
        ("Record the child's views in their own words.", "start"),
        ("Children are not always listened to.", "start"),
        ("Speak to the child directly at every visit.", "start"),
        ("Keep seeing children alone at home visits.", "keep"),
    ]),
    "addictions": ("risk.substance_misuse;practice.adult_services", [
        ("Long waiting lists for addiction services for parents.", "start"),
        ("Drug and alcohol services should prioritise parents with young children.", "start"),
        ("Parents wait months for alcohol treatment.", "start"),
        ("Addiction services need to tell us when a parent relapses.", "start"),
    ]),
    "optimism": ("finding.parent_focus;finding.challenge", [
        ("We are too optimistic that parents will change.", "stop"),
        ("Stop believing parents' explanations without checking.", "stop"),
        ("Be more challenging with parents who say everything is fine.", "start"),
        ("Over-optimism about parental capacity to change.", "stop"),
    ]),
    "perpetrators": ("risk.domestic_abuse", [
        ("More programmes for domestic abuse perpetrators.", "start"),
        ("Work with the perpetrator, not just the mother.", "start"),
        ("Domestic abuse perpetrator programmes have long waiting lists.", "start"),
        ("Hold perpetrators of domestic abuse to account instead of expecting the mother to protect.", "start"),
    ]),
    "caseloads": ("practice.paperwork;finding.powerlessness", [
        ("Caseloads are too high to do the job properly.", "start"),
        ("High staff turnover in social work means families keep changing worker.", "start"),
        ("Reduce caseloads for social workers.", "start"),
        ("Too many cases per worker.", "start"),
        ("Staff vacancies are leaving cases unallocated.", "start"),
    ]),
    "neglect": ("risk.neglect;finding.risk_recognition", [
        ("Long-term neglect cases drift without escalation.", "stop"),
        ("Neglect is not recognised until it is chronic.", "start"),
        ("Stop letting neglect cases sit at child in need level for years.", "stop"),
        ("Thresholds for neglect are inconsistent between teams.", "start"),
        ("Cumulative neglect needs earlier action.", "start"),
    ]),
    "informal_contact": ("practice.multiagency", [
        ("Keep having informal chats with colleagues in other agencies.", "keep"),
        ("Being able to pick up the phone to a colleague in another agency.", "good_practice"),
        ("Co-location of health and social work teams helps.", "good_practice"),
        ("Keep the informal networks between schools and social work.", "keep"),
        ("Knowing the person in the other agency makes a big difference.", "good_practice"),
    ]),
    "assessment": ("practice.assessment", [
        ("Assessments should be analytical, not descriptive.", "start"),
        ("Use the resilience matrix in every assessment.", "start"),
        ("Our assessments describe events but don't analyse risk.", "start"),
        ("We should weigh up the information in assessments rather than just list it.", "start"),
    ]),
}

ONE_OFFS: list[tuple[str, str, str]] = [
    ("Interpreters should be booked for families whose first language is not English.", "start", ""),
    ("Housing officers should be invited to core group meetings.", "start", "practice.multiagency"),
    ("The new IT system does not let us see other agencies' records.", "start", "practice.information_sharing"),
    ("Fathers are often left out of assessments.", "start", "practice.assessment"),
    ("Young carers need more recognition.", "start", ""),
    ("Transitions from primary to secondary school are a risky time for vulnerable children.", "start", ""),
    ("Dental neglect should be part of our concerns.", "start", "risk.neglect"),
    ("The out-of-hours service is hard to reach.", "start", "practice.service_access"),
    ("Teenagers at risk of exploitation need a different approach.", "start", ""),
    ("Budget cuts to family support have made early help harder.", "start", "practice.early_intervention"),
    ("Children with disabilities are less likely to be referred.", "start", "finding.risk_recognition"),
    ("Foster carers should be included in planning.", "start", ""),
    ("Use plain language in letters to parents.", "start", ""),
    ("Pre-birth planning starts too late for vulnerable pregnancies.", "start", ""),
    ("Private fostering arrangements are hard to identify.", "start", ""),
    ("Online safety should be covered with parents.", "start", ""),
    ("Schools need a clear route to raise concerns in the holidays.", "start", ""),
    ("Kinship carers get little support.", "start", ""),
    ("The child protection register should be reviewed more often.", "start", ""),
    ("Peer review of case files has helped us learn.", "good_practice", ""),
]

FEEDBACK: list[str] = [
    "Very informative session.", "Really useful afternoon, thank you.", "The venue was too warm.",
    "Good to meet colleagues from other agencies.", "Lunch was excellent.",
    "Would have liked more time for group discussion.",
    "The presentation on case reviews was excellent.", "Too much content for a half day.",
    "Well organised event.", "The room was cold.", "Parking was difficult.", "Great facilitators.",
    "Thought-provoking day.", "The slides were hard to read from the back.",
    "Enjoyed the group work.", "More breaks please.", "Excellent speakers.",
    "Interesting and relevant.", "It was helpful to hear about the findings of the review.",
    "The sound system did not work well.", "Good mix of agencies at my table.",
    "Very worthwhile morning.", "Could the slides be emailed to us?",
    "Start time was too early.", "I learned a lot today.", "A well run forum.",
    "The case studies were realistic.", "Not enough chairs in the breakout room.",
    "Useful networking opportunity.", "Brilliant event, thanks to the organisers.",
    "The session ran over time.", "Handouts would have been useful.", "Nice venue.",
    "A lot to take in.", "Speaker was inspiring.", "The discussion at our table was lively.",
    "Time keeping was good.", "Please run this again next year.",
    "Helpful overview of the review findings.", "Friendly atmosphere.",
]

COLUMNS = ("record_id", "unit_id", "source", "location", "start", "end", "heading", "text",
           "is_empty", "frame", "frame_score", "frame_source", "themes", "theme_scores",
           "evidence", "session", "agency", "locality", "gold_message")


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    names = sorted(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def _comments(rng: random.Random) -> list[dict[str, str]]:
    """All comments with session, agency, gold frame, themes and gold message."""
    out: list[dict[str, str]] = []
    for pid, (_name, themes, sessions, agencies, items) in PLANTED.items():
        order = list(sessions) + [rng.choice(sessions) for _ in range(len(items) - len(sessions))]
        rng.shuffle(order)
        for (text, frame), session in zip(items, order, strict=True):
            out.append({"text": text, "frame": frame, "themes": themes, "session": session,
                        "agency": _weighted(rng, agencies), "gold_message": pid})
    for name, (themes, items) in MINOR.items():
        # a minor point comes from one or two group discussions: 1-2 sessions
        local = rng.sample(SESSIONS, rng.choice((1, 2)))
        for text, frame in items:
            out.append({"text": text, "frame": frame, "themes": themes,
                        "session": rng.choice(local), "agency": rng.choice(AGENCIES),
                        "gold_message": f"minor.{name}"})
    for text, frame, themes in ONE_OFFS:
        out.append({"text": text, "frame": frame, "themes": themes,
                    "session": rng.choice(SESSIONS), "agency": rng.choice(AGENCIES),
                    "gold_message": ""})
    for text in FEEDBACK:
        out.append({"text": text, "frame": "none", "themes": "", "session": rng.choice(SESSIONS),
                    "agency": rng.choice(AGENCIES), "gold_message": "feedback"})
    for session in ("S2", "S4", "S6"):
        out.append({"text": "", "frame": "none", "themes": "", "session": session,
                    "agency": rng.choice(AGENCIES), "gold_message": ""})
    return out


def _rows(comments: list[dict[str, str]], source: str) -> list[dict[str, str]]:
    rows = []
    for n, c in enumerate(comments, start=1):
        rid = f"{source}:{n}"
        text = c["text"]
        rows.append({
            "record_id": rid, "unit_id": f"{rid}#1", "source": source, "location": f"row {n + 1}",
            "start": "0", "end": str(len(text)), "heading": "", "text": text,
            "is_empty": str(not text), "frame": c["frame"], "frame_score": "1.0",
            "frame_source": "gold", "themes": c["themes"],
            "theme_scores": json.dumps({t: 1.0 for t in c["themes"].split(";") if t}),
            "evidence": "{}", "session": c["session"], "agency": c["agency"],
            "locality": LOCALITY[c["session"]], "gold_message": c["gold_message"],
        })
    return rows


def _write(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def build() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Return the rows of the full corpus and of the 40-comment single-session subset."""
    rng = random.Random(20240611)
    comments = _comments(rng)
    rng.shuffle(comments)
    comments.sort(key=lambda c: c["session"])  # stable: grouped by session, shuffled within
    full = _rows(comments, "planted.csv")
    # small subset: one session, four planted messages (6-9 wordings each), a few one-offs,
    # minor points and event feedback
    small: list[dict[str, str]] = []
    for pid, count in (("P1", 9), ("P2", 7), ("P3", 6), ("P6", 5)):
        _n, themes, _s, agencies, items = PLANTED[pid]
        picks = rng.sample(range(len(items)), count)
        for i in sorted(picks):
            small.append({"text": items[i][0], "frame": items[i][1], "themes": themes,
                          "session": "S1", "agency": _weighted(rng, agencies),
                          "gold_message": pid})
    for text, frame, themes in ONE_OFFS[:5]:
        small.append({"text": text, "frame": frame, "themes": themes, "session": "S1",
                      "agency": rng.choice(AGENCIES), "gold_message": ""})
    for text in FEEDBACK[:8]:
        small.append({"text": text, "frame": "none", "themes": "", "session": "S1",
                      "agency": rng.choice(AGENCIES), "gold_message": "feedback"})
    rng.shuffle(small)
    return full, _rows(small, "planted_small.csv")


def main() -> None:
    """Write planted.csv and planted_small.csv next to this script."""
    full, small = build()
    _write(full, HERE / "planted.csv")
    _write(small, HERE / "planted_small.csv")
    print(f"planted.csv: {len(full)} rows; planted_small.csv: {len(small)} rows")


if __name__ == "__main__":
    main()
