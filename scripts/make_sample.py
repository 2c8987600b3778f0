"""Write the bundled sample forum write-ups from hand-written content.

Run from the repository root::

    .venv/bin/python scripts/make_sample.py [--out corpora/sample]

It writes ``forum_writeup.docx`` (sessions 1-3: headings, one 4-column keep / stop / start /
good practice table per session, a Discussion section with bulleted lists and prose) and
``forum_writeup_export.txt`` (sessions 4-6 as text exported from a report: each table row is
one line of TAB-separated cells holding HTML fragments, with prose lines between). The
content is fictional and was written for forumnlp. Output is byte-for-byte reproducible:
fixed document properties and fixed ZIP timestamps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

TITLE = "Practitioner Forum 2026: Neglect and the toxic trio"
FIXED_TIME = dt.datetime(2026, 5, 4, 9, 0, 0)

# --------------------------------------------------------------------------------------------
# forum_writeup.docx: sessions 1-3
# --------------------------------------------------------------------------------------------

DOCX_INTRO = (
    "The Child Protection Committee ran six practitioner forum sessions between February and "
    "April 2026, two in each locality. Practitioners from health visiting, school nursing, "
    "midwifery, general practice, social work, education, police, adult mental health, "
    "addiction services and the third sector worked in mixed table groups on a case study of "
    "a family living with long-standing neglect, parental alcohol use, domestic abuse and "
    "maternal depression. Each group then recorded what we should keep doing, stop doing and "
    "start doing, and what is working well now. This write-up covers sessions 1 to 3; the "
    "tables are reproduced as the groups wrote them."
)

# (heading, note, header row, data rows); every cell is a list of bullet lines.
DOCX_SESSIONS: list[tuple[str, str, list[str], list[list[list[str]]]]] = [
    (
        "Session 1 – North locality",
        "10 February 2026. 24 practitioners from nine agencies, three table groups.",
        ["KEEP DOING", "STOP DOING", "START DOING", "GOOD PRACTICE"],
        [
            [
                ["Joint visits with HV and SW for new CP cases",
                 "Informal phone calls between agencies – quicker than email",
                 "Monthly locality MAG",
                 "Daily DA triage with police, health and social work"],
                ["Discharging children who are not brought to appointments",
                 "Sending case conference invites at 24 hours' notice",
                 "Accepting parents' explanations without checking them out",
                 "Leaving all of the risk with social work"],
                ["Chronologies at the first concern, not at conference",
                 "CP supervision for health visitors",
                 "Adult mental health and addictions staff at case conferences",
                 "Asking every adult patient about the children in the household"],
                ["Police concern reports reach the HV within 24 hours",
                 "Named person role well embedded in primary schools",
                 "Resilience matrix used in most SW assessments"],
            ],
            [
                ["Multi-agency training on neglect",
                 "Sharing conference minutes with GPs",
                 "Core group meetings in the family home where it is safe"],
                ["Closing cases when families don't answer the door",
                 "Writing the same information on three different forms",
                 "Focusing on mum's recovery and losing sight of the children"],
                ["Seeing children on their own and recording their words",
                 "Re-visiting long-term neglect cases with fresh eyes",
                 "Joint training with adult services"],
                ["Joint visits with police are now routine",
                 "The child's views are recorded in every child's plan",
                 "Early years MAG gets families help quickly"],
            ],
        ],
    ),
    (
        "Session 2 – South locality",
        "24 February 2026. 21 practitioners, two table groups.",
        ["Things to keep doing", "Things to stop doing", "Things to start doing",
         "What's working well"],
        [
            [
                ["Face-to-face TAC meetings",
                 "Weekly huddles – health and police",
                 "Free training places for the third sector"],
                ["Faxing concern reports",
                 "Using jargon with families (MAG, TAC, IAF)",
                 "Sending apologies to conferences without a report"],
                ["A 'was not brought' policy across all health services",
                 "Copying the named person into police concern reports",
                 "One chronology shared by all the agencies involved",
                 "Protected time for GPs to attend case conferences"],
                ["Schools share information promptly",
                 "Perinatal mental health team very responsive",
                 "Addictions link worker attends core groups"],
            ],
            [
                ["Group supervision in SW teams",
                 "Drop-in clinics at the high school",
                 "Routine enquiry about DA at the booking appointment"],
                ["Waiting for a crisis before escalating neglect",
                 "Cancelling core groups at the last minute",
                 "'One more chance' plans with no timescale for the child"],
                ["Reflective CP supervision for HVs and school nurses",
                 "Training on professional curiosity and disguised compliance",
                 "Feedback to referrers on what happened"],
                ["Joint visits SW/HV are the norm in the south",
                 "MARAC actions are followed through",
                 "Recovery workers and social workers hold joint reviews"],
            ],
        ],
    ),
    (
        "Session 3 – West locality",
        "10 March 2026. 19 practitioners, two table groups (group 2 ran short of time).",
        ["Keep", "Stop", "Start", "Doing well now"],
        [
            [
                ["Joint visits – police and SW",
                 "Cluster MAGs",
                 "Phoning the named person the morning after a DA incident"],
                ["Relying on school to do all the monitoring",
                 "Adult services hearing about conferences after the event",
                 "Re-assessing from scratch every time the worker changes"],
                ["Chronologies started at first concern",
                 "A named link between adult MH and children's services",
                 "GIRFEC refresher for all agencies – new staff don't know it",
                 "More multi-agency training, open to the third sector"],
                ["HV chronologies audited and up to date",
                 "Wellbeing indicators used across the whole cluster",
                 "Adult MH psychiatrist attended a conference – real difference to the plan"],
            ],
            [
                ["Texting service for young people"],
                ["Discharging from CAMHS after two missed appointments"],
                ["Ask the child, not just the parent"],
                ["Third sector invited to TAC meetings"],
            ],
        ],
    ),
]

# (sub-heading, paragraphs before the list, bullet list, paragraphs after the list)
DOCX_DISCUSSION: list[tuple[str, list[str], list[str], list[str]]] = [
    (
        "Chronologies",
        ["Every session returned to chronologies. Practitioners agreed that they are valuable "
         "but are usually started too late, often only when a case is already heading to a "
         "child protection case conference, by which time years of low-level concerns have to "
         "be pieced together from memory."],
        ["Started too late – often only at the point of conference",
         "Lists of events with little analysis of the pattern",
         "Schools and health keep their own, and they are rarely shared",
         "Fathers and partners are often missing from them"],
        ["Health visitors in the west described a recent audit that has brought HV "
         "chronologies up to date, and the group felt this approach could be used elsewhere."],
    ),
    (
        "Adult services and case conferences",
        ["There was strong agreement that adult mental health and addiction services are too "
         "often absent from case conferences and core groups. Adult services staff at the "
         "forum said they are willing to attend but are invited late, or not at all, and are "
         "not always told when a patient's child is placed on the register."],
        ["Invitations with at least five working days' notice",
         "A named link worker in each adult team",
         "Adult services told when a patient's child is registered",
         "Joint training for adult and children's services"],
        [],
    ),
    (
        "Supervision and support",
        ["Health visitors and school nurses described carrying complex child protection cases "
         "without regular supervision. Several said they feel on their own with the most "
         "worrying families. Social workers valued group supervision but said it can become "
         "caseload management rather than reflection."],
        [],
        ["The groups asked the committee to make protected, reflective child protection "
         "supervision available to all health staff with a child protection caseload."],
    ),
    (
        "Children who are not brought",
        ["Practitioners from health and education were concerned that children are still "
         "discharged from services when a parent does not bring them to appointments."],
        ["Use 'was not brought' rather than 'did not attend'",
         "Follow up with the family and tell the named person",
         "Never discharge a child on the CP register for non-attendance"],
        ["Next steps: the committee will consider these messages at its June meeting, "
         "alongside the write-up of sessions 4 to 6."],
    ),
]

# --------------------------------------------------------------------------------------------
# forum_writeup_export.txt: sessions 4-6 (a list item is a line; a table row is a list of
# TAB-separated cells)
# --------------------------------------------------------------------------------------------

UL = '<ul style="list-style-type: none">'

TXT_LINES: list[str | list[str]] = [
    TITLE,
    "Report export – forum write-up, sessions 4 to 6",
    "",
    "Session 4 – North locality, 24 March 2026",
    "Session notes: 22 practitioners attended from health visiting, social work, education, "
    "police, school nursing, addictions, adult mental health and the third sector. Three table "
    "groups worked through the case study and then completed the grid.",
    [
        f"<p>THINGS TO KEEP</p> {UL} - Joint training - Weekly huddles – health and police "
        "- Sharing minutes </ul>",
        f"<p>THINGS TO STOP</p> {UL} - Discharging children who are not brought - Re-assessing "
        "families from scratch when the worker changes - Invites to conferences at 24 hours' "
        "notice </ul>",
        f"<p>THINGS TO START</p> {UL} - Chronologies at first concern - CP supervision for HVs "
        "– protected time - Re-visit long-standing neglect cases </ul>",
        f"<p>GOOD PRACTICE</p> {UL} - Multi-agency working – on track - Joint visits SW/police "
        "- Named person well understood in primaries </ul>",
    ],
    "Group 2 spent most of its time on the role of adult services.",
    [
        "<p><b>Keep</b></p><ul><li>Addictions link worker at core groups</li>"
        "<li>Phone calls, not emails</li><li>Follow-up calls after a DA incident</li></ul>",
        f"<p>STOP</p> {UL} - <i>Holding</i> conferences without adult services - Sending a "
        "report instead of attending - Self-referral only for addiction services </ul>",
        "<p>START</p><p>The group felt that adult mental health and addictions staff should be "
        "invited to case conferences with at least five working days' notice, and that adult "
        "services should be told when a patient's child is placed on the register.</p>",
        "<p>WORKING WELL</p><p>The psychiatrist who attended a recent conference in the north "
        "made a real difference to the plan.</p><p>Recovery workers now routinely ask parents "
        "about their children.</p>",
    ],
    "Group 3 did not finish the grid; their notes are in the discussion below.",
    "Discussion: the group agreed that children who are not brought to health appointments "
    "should be followed up, not discharged, and that the named person should be told.",
    "",
    "Session 5 – South locality, 14 April 2026",
    "Session notes: 20 practitioners; no GP attended. The grid below was typed up from the "
    "flipcharts.",
    ["<p><b>KEEP DOING</b></p>", "<p><b>STOP DOING</b></p>", "<p><b>START DOING</b></p>",
     "<p><b>GOOD PRACTICE</b></p>"],
    [
        f"{UL} - Drop-in clinics at the high school - Co-located team in the south – two days "
        "a week - Safe and Together training </ul>",
        f"{UL} - Closing cases after 12 weeks regardless of need - Faxes! - Emailing a concern "
        "and thinking that's the job done </ul>",
        f"{UL} - CP supervision for health visitors &amp; school nurses - Was not brought "
        "policy in every GP practice - Feedback to the referrer within 5 days </ul>",
        f"{UL} - Information sharing from schools – prompt - Joint visits SW/HV are routine "
        "- Perinatal MH team – same-day advice </ul>",
    ],
    [
        "<ul><li>Group supervision</li><li>Multi-agency training days</li></ul>",
        "<p>Focusing on the parents' needs and losing sight of the child, particularly where "
        "mum is in recovery and doing well.</p>",
        "<ul><li>Police concern reports copied to the named person</li><li>A single "
        "information sharing system – police, health and SW</li><li>Re-visit the neglect "
        "threshold with all partners</li></ul>",
        "<p><i>Children's views are now recorded in every child's plan.</i></p>",
    ],
    "The South group asked for its thanks to the addictions team for their involvement this "
    "year to be recorded.",
    "",
    "Session 6 – West locality, 28 April 2026",
    "Session notes: 18 practitioners. The table groups were asked to focus on the toxic trio.",
    [
        f"<p>CONTINUE</p> {UL} - Joint visits – police and social work - Cluster MAGs - Phoning "
        "each other – not emailing </ul>",
        f"<p>STOP</p> {UL} - Adult services finding out about conferences after the event "
        "- Assuming someone else has made the referral </ul>",
        f"<p>START</p> {UL} - Chronologies from day one - GIRFEC refresher – all agencies "
        "- More multi-agency training, open to the third sector - Ask adult patients about "
        "their children </ul>",
        "<p>WHAT ARE WE DOING WELL?</p><p>Joint visits between police and social work are now "
        "the norm in the west.</p><p>The DA triage meeting means schools hear about incidents "
        "the next morning.</p><p>Wellbeing indicators are used across the whole cluster.</p>",
    ],
    [
        "<p>KEEP</p><ul><li>The hidden harm group for parents in recovery</li></ul>",
        "",
        "<p>START</p><p>Professional curiosity: ask how you know the partner has moved out, "
        "and check it.</p>",
        "<p>GOOD PRACTICE</p><ul><li>Routine enquiry about DA at booking</li></ul>",
    ],
    "End of export.",
]


def _set_core_properties(document: Any) -> None:
    """Give the document fixed metadata so repeated runs produce identical files."""
    props = document.core_properties
    props.title = TITLE
    props.author = "forumnlp sample data"
    props.last_modified_by = "forumnlp sample data"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    props.comments = "Fictional sample written for forumnlp."


def _add_bullets(container: Any, items: list[str], first: Any | None = None) -> None:
    """Add one "List Bullet" paragraph per item (reusing ``first`` for the first item)."""
    for i, item in enumerate(items):
        if i == 0 and first is not None:
            first.text = item
            first.style = "List Bullet"
        else:
            container.add_paragraph(item, style="List Bullet")


def build_docx(path: Path) -> None:
    """Write the Word write-up of sessions 1-3 to ``path``.

    Parameters
    ----------
    path : Path
        Output file (.docx); overwritten.
    """
    from docx import Document

    document = Document()
    _set_core_properties(document)
    document.add_heading(TITLE, level=0)
    document.add_paragraph("Write-up of sessions 1 to 3 (North, South and West localities)")
    document.add_paragraph(DOCX_INTRO)
    for heading, note, header, rows in DOCX_SESSIONS:
        document.add_heading(heading, level=1)
        document.add_paragraph(note)
        table = document.add_table(rows=1 + len(rows), cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for row, cells in zip(table.rows[1:], rows, strict=True):
            for cell, items in zip(row.cells, cells, strict=True):
                _add_bullets(cell, items, first=cell.paragraphs[0])
        document.add_paragraph()
    document.add_heading("Discussion", level=1)
    document.add_paragraph(
        "Across the three sessions the same themes came up again and again. This section "
        "summarises the plenary discussion and the notes taken at the tables."
    )
    for heading, before, bullets, after in DOCX_DISCUSSION:
        document.add_heading(heading, level=2)
        for text in before:
            document.add_paragraph(text)
        _add_bullets(document, bullets)
        for text in after:
            document.add_paragraph(text)
    document.save(str(path))
    _normalise_zip(path)


def _normalise_zip(path: Path) -> None:
    """Rewrite a ZIP container with fixed member timestamps (same order, same content)."""
    with zipfile.ZipFile(path) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    tmp.replace(path)


def build_txt(path: Path) -> None:
    """Write the report-text export of sessions 4-6 to ``path`` (UTF-8, LF line ends).

    Parameters
    ----------
    path : Path
        Output file (.txt); overwritten.
    """
    lines = ["\t".join(item) if isinstance(item, list) else item for item in TXT_LINES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def main() -> None:
    """Command-line entry point: write both files into ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("corpora/sample"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    build_docx(args.out / "forum_writeup.docx")
    build_txt(args.out / "forum_writeup_export.txt")
    print(f"wrote {args.out / 'forum_writeup.docx'} and {args.out / 'forum_writeup_export.txt'}")


if __name__ == "__main__":
    main()
