"""Build the binary and non-UTF-8 sample case files under sample_notes/.

The case notes are held below as plain Python data; this script only lays them out in
each format. Re-running it gives byte-identical files: document properties and zip
timestamps are fixed, and the PDF creation date is fixed.

    .venv/bin/python scripts/build_sample_binaries.py            # write the files
    .venv/bin/python scripts/build_sample_binaries.py --check    # exit 1 if any differ

Files written (gold annotations beside them are maintained by hand):
    S02/case_notes.txt   UTF-16 LE with BOM, CRLF, header "14/03/2024 - Home visit - J. Doe, SW"
    S04/case_notes.txt   cp1252, CRLF, header "Thursday 14 March 2024, 10:30 – Case note – ..."
    S06/case_notes.docx  two header styles, one paragraph a line
    S07/case_notes.pdf   text layer; one line a sentence, no line wraps
    T01_audit_export/audit_export.xlsx   sheet "Notes", cases S09 and S10 interleaved
    S12/04_school.docx   the school's part of the multi-agency case S12
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_notes"
FIXED_TIME = dt.datetime(2024, 1, 1, 9, 0, 0)
ZIP_TIME = (2024, 1, 1, 9, 0, 0)
AUTHOR = "casechron sample data (synthetic)"

# fmt: off
DATA = {'S02': {'path': 'S02/case_notes.txt',
         'encoding': 'utf-16-le-bom',
         'newline': '\r\n',
         'title': 'WHITLOCK Mia (DOB 14/02/2017) and Alfie (DOB 30/06/2020) - chronological '
                  'case notes, North Locality',
         'notes': [{'header': '04/09/2023 - Strategy meeting - K. Osei, SW',
                    'lines': ['Strategy discussion (MASH) following police DA notification '
                              'received this morning. Mia (6) and Alfie (3) have been open to '
                              'me as CIN since June (neglect, home conditions).',
                              'Police were called to the home on Saturday night after '
                              'neighbours heard Carly screaming; Dean was arrested for common '
                              'assault and released under investigation in the early hours.',
                              'Present: DS Karen Lowry (police), Helen Pratt (HV), Mrs Gill '
                              '(DSL, Oakfield Primary), Ruth Adeyemi (TM), myself. Threshold '
                              'for S47 met - joint enquiry with police.',
                              'Dean has a conviction from 2017 for assaulting a housing '
                              'officer. Visit to be announced to Carly by phone.']},
                   {'header': '06/09/2023 - Home visit - K. Osei, SW',
                    'lines': ['S47 joint visit with DS Lowry at 4.30pm, announced to Carly by '
                              'phone yesterday. Carly let us in.',
                              'Dean came home about ten minutes in and told us to "get out of '
                              'my house". He stood in the hallway in front of the children\'s '
                              'bedroom door and said nobody was seeing his kids "without a '
                              'solicitor".',
                              'Carly looked at the floor and did not speak again. We left '
                              'after about 20 minutes; Mia and Alfie could be heard in the '
                              'bedroom but were not seen. Discussed with RA on return.']},
                   {'header': '08/09/2023 - Telephone call - K. Osei, SW',
                    'lines': ['Rang Carly on the number she gave DS Lowry. She spoke quietly '
                              'and said Dean was at work. She agreed to bring both children to '
                              'Hollins Road on Monday 11/09 at 3.45pm without Dean.',
                              'She said "he doesn\'t mean it, he just gets wound up when '
                              'people come to the house".']},
                   {'header': '11/09/2023 - Office visit - K. Osei, SW',
                    'lines': ['Carly came to Hollins Road with Mia and Alfie, 10 mins early. I '
                              'saw Mia on her own in the family room using the feelings cards.',
                              'Mia said "daddy shouts at mummy when he has beer" and that she '
                              'takes Alfie under her duvet "so we can\'t hear".',
                              'Alfie seen with Carly - chatty, no marks seen. Carly did not '
                              'minimise what happened and said she wants things to change. She '
                              'agreed to a referral to the IDVA service, which I made the same '
                              'afternoon.']},
                   {'header': '15/09/2023 - Case note - K. Osei, SW',
                    'lines': ['Email from Dean at 23:48 last night to me, copied to Ruth '
                              'Adeyemi and the Director of Children\'s Services, calling me "a '
                              'liar with an agenda".',
                              'Three more emails followed before 2.30am and there were 9 '
                              'missed calls from his number on my work mobile by 9am. In the '
                              'last email he wrote that he will "make sure everyone knows what '
                              'you are".',
                              'Discussed with RA: warning marker added to the file, all visits '
                              'to be joint from now on, incident form completed.']},
                   {'header': '21/09/2023 - School visit - K. Osei, SW',
                    'lines': ['Saw Mia at Oakfield Primary in the nurture room on her own (Mrs '
                              'Gill nearby). Carly knew about the visit and had agreed to it.',
                              'Mia said home has been "quiet" and daddy is "sleeping at Nanny '
                              'Pat\'s". She was smiley and keen to show me her reading book.',
                              'Alfie not seen today (nursery closed for staff training).']},
                   {'header': '22/09/2023 - Complaint - R. Adeyemi, TM',
                    'lines': ['Formal complaint received from Dean by email, logged at stage '
                              '1. He says KO was "aggressive and unprofessional" on 06/09 and '
                              'demands a new social worker before the conference.',
                              'Spoke to DS Lowry, who was present on 06/09: she describes KO '
                              'as calm throughout.',
                              'Carly told KO that Dean is saying he will go to the Evening '
                              'Post.']},
                   {'header': '25/09/2023 - ICPC - R. Adeyemi, TM',
                    'lines': ['Initial child protection conference, chair Marcus Bell. Mia and '
                              'Alfie made subject to CP plans under the category of emotional '
                              'abuse.',
                              'Dean attended with a friend. He disputed every point in the '
                              'police report and argued with the chair over the wording of the '
                              'strategy minutes. He said there had been "no domestic, just a '
                              'row like every couple has".',
                              'Carly said very little and agreed with Dean when asked '
                              'directly. First core group set for 05/10.']},
                   {'header': '02/10/2023 - Home visit - K. Osei, SW',
                    'lines': ['Planned joint visit 4pm with Lisa Crane (senior practitioner), '
                              'agreed at conference.',
                              'Dean opened the door, said "you\'re not coming in" and shut it. '
                              'We spoke through the letterbox for a couple of minutes; he '
                              'shouted that we needed "a warrant" and that we were "harassing '
                              'his family".',
                              'Alfie could be heard crying. Children not seen. Reported to RA '
                              'and the conference chair.']},
                   {'header': '05/10/2023 - Core group - K. Osei, SW',
                    'lines': ['First core group at Hollins Road. Carly attended with the IDVA; '
                              'Dean did not come and had not sent apologies.',
                              'Carly was clear she is not refusing the work and wants the '
                              'children seen at home when Dean is out. Agreed visits while '
                              'Dean is at work (Tues/Fri afternoons).',
                              'Caring Dads: Dean to self-refer by 20/10.']},
                   {'header': '06/10/2023 - Home visit - K. Osei, SW',
                    'lines': ['Planned visit 3.45pm with L. Crane while Dean at work. Carly '
                              'let us in. Both children seen.',
                              'Mia showed me her bedroom on her own and her drawings of "our '
                              'house"; she said she is "a bit scared when daddy is cross" but '
                              '"he\'s been nice this week".',
                              'Alfie playing with cars, no marks seen, chatty.',
                              "After about 15 minutes Dean's van pulled up and Carly asked us "
                              'to go "before he kicks off", so we left by the back door.']},
                   {'header': '17/10/2023 - Home visit - K. Osei, SW',
                    'lines': ['Planned visit 3.30pm as agreed at core group. No answer, blinds '
                              "down and Carly's car on the drive.",
                              'Rang Carly twice, no answer. Card through the door']},
                   {'header': '18/10/2023 - Letter - R. Adeyemi, TM',
                    'lines': ['Letter sent by me to Carly and Dean (copy to conference chair) '
                              'setting out our concern that the children have not been seen '
                              'since 06/10 and offering a visit on Friday 20/10 at 3.45pm.',
                              'The letter explains that if we cannot see Mia and Alfie the '
                              'core group will meet to consider next steps, including legal '
                              'advice.']},
                   {'header': '20/10/2023 - Home visit - K. Osei, SW',
                    'lines': ['Visit at 3.45pm as offered in the letter, with L. Crane. Carly '
                              'and both children at home, Dean out.',
                              'Carly apologised for Tuesday and said she had a migraine and '
                              'did not hear the door.',
                              "Alfie seen in the lounge. Mia at a friend's for tea - not seen. "
                              'House tidy, food in the cupboards.']},
                   {'header': '30/10/2023 - Core group - K. Osei, SW',
                    'lines': ['Core group. Dean attended for the first time and was calm; '
                              'there was no shouting today.',
                              'Dean told the group he is "on the waiting list" for Caring '
                              'Dads. The Caring Dads coordinator, contacted during the '
                              'meeting, confirmed that no referral has been received from him.',
                              'Carly has attended 3 of 4 IDVA sessions.']},
                   {'header': '08/11/2023 - Complaint - R. Adeyemi, TM',
                    'lines': ['Second complaint from Dean, this time through the office of his '
                              'MP, saying KO has "a vendetta against the family" and asking '
                              'for the case to be moved to another team.',
                              'Same issues as the stage 1 complaint, which was not upheld on '
                              '03/11.']},
                   {'header': '13/11/2023 - Home visit - K. Osei, SW',
                    'lines': ['Unannounced visit 4pm with L. Crane after a concern from school '
                              "about Mia's mood.",
                              'Dean answered, swore at us and told us to "f*** off back to '
                              'your office". He then let his dog, a large Staffie cross, off '
                              'the lead into the hallway and said "he doesn\'t like '
                              'strangers".',
                              'We left straight away and did not see the children. Police '
                              'informed (non-emergency, ref 0456-131123), RA and chair '
                              'informed.']}]},
 'S04': {'path': 'S04/case_notes.txt',
         'encoding': 'cp1252',
         'newline': '\r\n',
         'title': 'Case notes printout – POLLARD, Tyler (DOB 03/11/2015) and Jessie (DOB '
                  '19/01/2021)',
         'notes': [{'header': "Monday 7 April 2025, 09:15 – ICPC – Children's Social Care",
                    'lines': ['Initial child protection conference, chair Marion Fell. Tyler '
                              'and Jessie made subject to child protection plans under the '
                              'category of neglect.',
                              'Case transferred today from Ben Achterberg (assessment team) to '
                              'Nadia Karim (CP team).',
                              'Kerry-Ann attended with her sister Joanne. She said the '
                              'concerns were “blown out of proportion” and that school “have '
                              'always had it in for Tyler”.',
                              'Rent arrears now £1,240; a notice seeking possession has been '
                              'served.',
                              'Core group set for Tuesday 15/04 at Hawthorn Children’s '
                              'Centre.']},
                   {'header': "Thursday 10 April 2025, 14:00 – Home visit – Children's Social "
                              'Care',
                    'lines': ['Planned visit (NK), Kerry-Ann was expecting me. Both children '
                              'at home (school holidays).',
                              'Jessie seen in the front room with mum, in a nappy at 4 years '
                              'old, nappy rash noted.',
                              'Tyler seen alone in his bedroom: he said he is “always hungry '
                              'at weekends” and that mum “sleeps a lot”.',
                              'Mattresses on the floor, no bedding on Jessie’s. Kerry-Ann said '
                              'she will buy beds with the £150 Household Support Fund payment.',
                              'Kerry-Ann said she has “a lot on with the flat” and kept going '
                              'back to the arrears whenever I raised the children’s care.']},
                   {'header': "Tuesday 15 April 2025, 11:00 – Core group – Children's Social "
                              'Care',
                    'lines': ['First core group at Hawthorn Children’s Centre. Present: NK, HV '
                              '(Gemma Shaw), Mrs Okonjo (DSL), housing officer.',
                              'Kerry-Ann did not attend and did not answer her phone. She '
                              'texted at 12:05 that she “thought it was next week”.',
                              'Letter hand-delivered to the flat after the meeting offering a '
                              'home visit on Thursday 17/04 at 10:30.']},
                   {'header': "Thursday 17 April 2025, 10:30 – Home visit – Children's Social "
                              'Care',
                    'lines': ['Planned visit as offered in the letter. No answer; curtains '
                              'closed upstairs and down, no sound from inside.',
                              'Neighbour in the next flat said they have been “in and out with '
                              'bags all week”.',
                              'Informed TM (Sue Rahman) and the conference chair: two contacts '
                              'missed since the ICPC.']},
                   {'header': "Tuesday 22 April 2025, 09:45 – Home visit – Children's Social "
                              'Care',
                    'lines': ['Unannounced visit. Door answered by a man who gave his name '
                              'only as “Dave”.',
                              'He said Kerry-Ann and the kids “don’t live here no more” and '
                              'would not give a forwarding address.',
                              'School confirmed Tyler did not come in today, the first day of '
                              'the summer term.']},
                   {'header': "Wednesday 23 April 2025, 16:10 – Telephone call – Children's "
                              'Social Care',
                    'lines': ['Kerry-Ann rang from a withheld number. She confirmed that she '
                              'took the children to stay with a friend in Doncaster on Easter '
                              'Saturday and said she will not give the address “because you '
                              'lot will just turn up”.',
                              'She said Tyler will go back to school “when we’re back” and put '
                              'the phone down when I asked to speak to him.',
                              'Police (CAIT) and Doncaster Children’s Services informed; '
                              'missing-from-area checks started. Housing confirm the tenancy '
                              'is still in her name, arrears now £1,310.']},
                   {'header': "Thursday 24 April 2025, 11:00 – Strategy meeting – Children's "
                              'Social Care',
                    'lines': ['Strategy meeting: police (DS Nisha Patel), school, HV, legal '
                              '(Gwen Price), NK, TM.',
                              'Children’s whereabouts unknown since 19/04; Kerry-Ann’s phone '
                              'now switched off.',
                              'Agreed: police to request a welfare check through South '
                              'Yorkshire Police as soon as an address is known; legal planning '
                              'meeting to be booked.',
                              'If the children are not seen by Monday, police will consider '
                              'using their powers of protection.']},
                   {'header': "Monday 28 April 2025, 15:30 – Telephone call – Children's "
                              'Social Care',
                    'lines': ['Kerry-Ann rang. She says she came back to the flat on Saturday '
                              'and the children are “fine”. Tyler back in school today '
                              '(confirmed by Mrs Okonjo, who saw him in class).',
                              'She said it was “just a few days at a mate’s” and she doesn’t '
                              'know “what all the fuss is about”.',
                              'Visit agreed for tomorrow at 10am; Tyler will be at school.']},
                   {'header': "Tuesday 29 April 2025, 10:00 – Home visit – Children's Social "
                              'Care',
                    'lines': ['Planned visit as agreed yesterday. No answer at 10:00 and no '
                              'reply at the back door either.',
                              'Kerry-Ann texted at 10:20 that she had to take Jessie “to the '
                              'doctors”. The GP surgery has no appointment or walk-in for '
                              'Jessie today.',
                              'Discussed with Sue Rahman (TM) and the chair: second planned '
                              'visit missed in a row; Jessie not seen since 10/04.']},
                   {'header': "Wednesday 30 April 2025, 08:30 – Home visit – Children's Social "
                              'Care',
                    'lines': ['Unannounced visit before school with Li Wei (senior '
                              'practitioner). Kerry-Ann answered after a minute and let us in.',
                              'Jessie seen in the kitchen, nappy rash much worse; GP '
                              'appointment made for her this afternoon with mum’s agreement.',
                              'I walked Tyler to school and spoke to him alone on the way. He '
                              'said “it’s alright, we always go away when the social comes” '
                              'and that he slept on the sofa at “Auntie Shaz’s”.',
                              'Kerry-Ann was not aggressive with us and said she would accept '
                              'help with the arrears.']},
                   {'header': "Tuesday 6 May 2025, 13:00 – Core group – Children's Social Care",
                    'lines': ['Core group at school. Kerry-Ann arrived 30 minutes late and '
                              'left before the end, saying she had to collect Jessie from '
                              'nursery.',
                              'Parenting course: she has not attended either of the first two '
                              'sessions.',
                              'GP: Jessie’s nappy rash treated, follow-up not attended.',
                              'Housing: £12 a week repayment agreed, first payment missed.']},
                   {'header': 'Friday 9 May 2025, 12:30 – School visit and home visit – '
                              "Children's Social Care",
                    'lines': ['Saw Tyler alone at school at lunchtime in the library. He said '
                              'home is “better now the heating’s on” and that Jessie “cries in '
                              'the night”.',
                              'Then visited the flat at 2pm as arranged with Kerry-Ann: Jessie '
                              'seen in the lounge with mum, clean and dressed, nappy rash '
                              'healing.']},
                   {'header': "Thursday 22 May 2025, 10:30 – Home visit – Children's Social "
                              'Care',
                    'lines': ['Planned visit. Kerry-Ann answered but said she was “in the '
                              'middle of something” and I could only stay ten minutes.',
                              'Jessie seen in the front room with mum. Kerry-Ann would not let '
                              'me look upstairs or into the children’s room, saying “you’ve '
                              'seen it before”.',
                              'Kerry-Ann told the HV last week she is thinking of moving to '
                              'Doncaster for good.']},
                   {'header': 'Thursday 29 May 2025, 15:45 – Legal planning meeting – '
                              "Children's Social Care",
                    'lines': ['Legal planning meeting with Gwen Price (LA solicitor), Sue '
                              'Rahman (TM) and NK.',
                              'Threshold for the PLO met given the move without notice, the '
                              'missed visits and the children’s presentation. Letter before '
                              'proceedings to be sent and a PLO meeting booked for June; '
                              'Kerry-Ann to be told she can bring a solicitor.',
                              'If Kerry-Ann moves the children again without telling us, the '
                              'plan is to apply to court straight away.']}]},
 'S06': {'path': 'S06/case_notes.docx',
         'title': 'CARTWRIGHT, Harley (DOB 08/05/2017) and Nova (DOB 22/10/2023) - case '
                  'recording',
         'notes': [{'header': 'Date: 03/06/2024   Type: RCPC   Worker: Olivia Grant (Social '
                              'Worker)',
                    'lines': ['Review child protection conference, chair Paul Denton. Harley '
                              'and Nova remain subject to CP plans (neglect).',
                              'Lee said every concern in my report was "made up" and that the '
                              'HV "can\'t tell a healthy baby from a sick one". Amber said '
                              'very little.',
                              "Lee's eldest child was adopted in 2016 after care proceedings "
                              'in Walsall; he told the conference he will "never let that '
                              'happen again".',
                              'During those proceedings he was arrested for threatening the '
                              'allocated social worker.',
                              'Core group 17/06.']},
                   {'header': 'Date: 10/06/2024   Type: Home Visit   Worker: Olivia Grant '
                              '(Social Worker)',
                    'lines': ['Planned visit 2pm.',
                              'Lee answered and said Harley was at school and Nova was "asleep '
                              'and not being woken for you". He would not let me go upstairs '
                              'to see her.',
                              'I stayed in the lounge for 20 minutes with Amber and Lee. Amber '
                              'said Nova is feeding well. I did not see either child.',
                              'As I left, Lee told me he knows where I park and that I should '
                              '"be careful on these roads".']},
                   {'header': '11/06/2024 - Case note - P. Singh, TM',
                    'lines': ["Discussed yesterday's visit with OG. Incident recorded on the "
                              'risk register and a warning marker added; future visits to be '
                              'joint.',
                              'Amber has not been hostile to any professional.',
                              'Nova has not been seen by any professional since the HV contact '
                              'on 28/05. OG to inform the conference chair and the HV today.']},
                   {'header': 'Date: 12/06/2024   Type: Home Visit   Worker: Olivia Grant '
                              '(Social Worker)',
                    'lines': ['Joint unannounced visit with HV Claire Bond at 9.30am. Amber '
                              'let us in, Lee out.',
                              'Nova seen and weighed by Claire: 7.9kg, alert, nappy very wet, '
                              'cradle cap. Harley at school.',
                              'Amber said Lee "didn\'t mean anything" by what he said on '
                              'Monday and that he is "just protective".']},
                   {'header': '14/06/2024 - Complaint - P. Singh, TM',
                    'lines': ['Stage 1 complaint received from Lee by email: says OG "forced '
                              'her way in" on 10/06 and upset Nova, and demands a new social '
                              'worker.',
                              'Lee wrote that he has "a solicitor on standby" and will take it '
                              '"to the papers" if OG comes to the house again.',
                              "OG's record and Amber's own account of the visit do not support "
                              'the complaint.']},
                   {'header': 'Date: 17/06/2024   Type: Core Group   Worker: Olivia Grant '
                              '(Social Worker)',
                    'lines': ["Core group at Rowan Children's Centre. HV reports Nova has not "
                              'been brought to her 8-month review, now offered twice.',
                              'Amber attended; Lee arrived 20 minutes in, sat with his arms '
                              'folded and did not say a word for the rest of the meeting, '
                              'staring at me throughout.',
                              "Harley's attendance 89%. Amber has been to 4 of 6 Solihull "
                              'sessions.']},
                   {'header': 'Date: 24/06/2024   Type: Home Visit   Worker: Olivia Grant '
                              '(Social Worker)',
                    'lines': ['Planned joint visit with Sean Mills (SW) 3.45pm. Amber let us '
                              'in; Lee in the garden and stayed there.',
                              'Harley seen alone in his bedroom: he said his dad "gets mad at '
                              'the social" and that he is not allowed to tell us "stuff about '
                              'home".',
                              'Nova seen in her high chair. Home conditions improved '
                              'downstairs.']},
                   {'header': 'Date: 01/07/2024   Type: Case note   Worker: Olivia Grant '
                              '(Social Worker)',
                    'lines': ['Lee posted on Facebook last night naming me, with a photo of my '
                              'car outside the children\'s centre and the comment "this is '
                              'what a child snatcher drives"; I have seen the post myself.',
                              'Lee has also rung the duty line 14 times since Friday asking '
                              'for me.',
                              'Reported to P. Singh and to police (ref 7731/010724).']},
                   {'header': '03/07/2024 - Complaint - P. Singh, TM',
                    'lines': ['Second complaint from Lee, now addressed to the Director and '
                              'copied to his MP, repeating the demand for a new social worker '
                              'and alleging that OG "has a personal vendetta".',
                              'He says he will not let any social worker in until OG is '
                              'removed.',
                              'Stage 1 response to the first complaint sent 28/06 (not '
                              'upheld).']},
                   {'header': 'Date: 08/07/2024   Type: Home Visit   Worker: Olivia Grant '
                              '(Social Worker)',
                    'lines': ['Planned joint visit with Sean Mills, 4pm.',
                              'Lee opened the door, stood in the doorway and said "not while '
                              'she\'s here". He would not let us in and shut the door.',
                              'Amber could be heard telling Harley to go upstairs. Children '
                              'not seen.']},
                   {'header': '09/07/2024 - Allocation - P. Singh, TM',
                    'lines': ['Case reallocated from Olivia Grant to Sean Mills with effect '
                              'from today, following a management review of the risk to OG '
                              '(not because of the complaints, which are not upheld).',
                              'Family told by letter today, which also offers a visit. Lee has '
                              'been told that he cannot choose his social worker.']},
                   {'header': 'Date: 12/07/2024   Type: Home Visit   Worker: Sean Mills '
                              '(Social Worker)',
                    'lines': ['First visit as allocated SW, planned, with Claire Bond (HV), '
                              '10am.',
                              'Lee answered, shook my hand and said "at last, someone '
                              'sensible". Let us in. Nova seen and weighed (8.1kg).',
                              'Harley at school - saw him alone there at 1.30pm in the '
                              'learning mentor\'s room; he said home is "calmer" and he likes '
                              '"the new man".']},
                   {'header': 'Date: 22/07/2024   Type: Telephone Call   Worker: Sean Mills '
                              '(Social Worker)',
                    'lines': ['Lee rang, friendly. He told me his "friend Jade Smith" has been '
                              'staying some nights and gave her date of birth as 12/03/2000.',
                              'He said he "gets on great" with me and asked for Nova\'s health '
                              'visitor to be changed instead.']},
                   {'header': 'Date: 26/07/2024   Type: Home Visit   Worker: Sean Mills '
                              '(Social Worker)',
                    'lines': ['Planned visit 11am (school holidays). Amber, Harley and Nova '
                              'in; Lee at work.',
                              'Harley seen alone in his room, building Lego; he said Jade is '
                              '"nice" and "sleeps over loads".',
                              'Nova crawling, clean, well dressed.']},
                   {'header': 'Date: 29/07/2024   Type: Strategy Meeting   Worker: Sean Mills '
                              '(Social Worker)',
                    'lines': ['Strategy meeting: police (PC Amir Ahmed), HV, school, SM, P. '
                              'Singh.',
                              'Police confirm the woman staying at the address is Jade Price '
                              '(DOB 02/11/1998), not "Jade Smith" as Lee told me on 22/07; she '
                              'has a police caution for child cruelty.',
                              'Agreed: Jade not to have unsupervised care of the children; '
                              'written agreement to be put to Lee and Amber.']},
                   {'header': 'Date: 05/08/2024   Type: Home Visit   Worker: Sean Mills '
                              '(Social Worker)',
                    'lines': ['Planned visit to go through the written agreement. Lee and '
                              'Amber both present; Jade not there.',
                              'Amber signed. Lee refused to sign and said he "won\'t be told '
                              'who can stay in my house".',
                              'Harley seen alone in the garden; Nova seen with Amber.']},
                   {'header': 'Date: 19/08/2024   Type: Core Group   Worker: Sean Mills '
                              '(Social Worker)',
                    'lines': ['Core group. Lee and Amber attended; Lee polite throughout and '
                              'no threats were made at this meeting.',
                              'HV: Jade was at the flat on 14/08 giving Nova a bottle with no '
                              'other adult present, against the agreement.',
                              'Lee said Jade "was just holding her for a minute".']},
                   {'header': 'Date: 02/09/2024   Type: Home Visit   Worker: Sean Mills '
                              '(Social Worker)',
                    'lines': ['Unannounced visit 4pm.',
                              'Jade answered the door holding Nova, with no other adult in the '
                              'flat, and gave her name as "Jade Smith".',
                              'Amber came back 15 minutes later. Harley seen alone in his '
                              'room: he said Jade "looks after us when mum\'s at work".']},
                   {'header': '03/09/2024 - Legal planning - P. Singh, TM',
                    'lines': ['Legal planning meeting with LA solicitor: agreed to start PLO; '
                              'letter before proceedings to go out this week.',
                              'I rang Lee to tell him; he shouted that he would "see you all '
                              'in hell" and hung up.']}]},
 'S07': {'path': 'S07/case_notes.pdf',
         'title': 'ASHWORTH family - Ellie (DOB 09/06/2010), Jack (DOB 14/03/2013) - case '
                  'record print',
         'notes': [{'header': '[2023-01-16] CIN meeting',
                    'lines': ['Initial CIN meeting at Moorside Academy after the single '
                              'assessment.',
                              'Ellie (12) and Jack (9) are now open as children in need under '
                              'the category of neglect.',
                              'Case allocated to Hannah Price (SW), Moorside Team.',
                              'Plan: home conditions, school attendance, CAMHS for Ellie, mum '
                              'to attend Triple P.',
                              'Michelle agreed to every part of the plan and thanked everyone '
                              'for "being so supportive".']},
                   {'header': '24.01.23 | Home visit | Social Worker',
                    'lines': ['Planned visit, 4pm.',
                              'Michelle had clearly cleaned up for the visit: new air '
                              'fresheners, bin bags by the back door.',
                              "Ellie's bedroom still had no curtains and a mattress with no "
                              'sheet.',
                              'Ellie seen alone in her room; she said she "doesn\'t really eat '
                              'breakfast" and cuts "sometimes".',
                              'Jack seen with mum, playing on his Switch.',
                              'Michelle said I was "the best social worker we\'ve ever had" '
                              'and offered me a box of chocolates.']},
                   {'header': '07.02.23 | Telephone call | Social Worker',
                    'lines': ['Michelle rang to say Ellie "had her CAMHS appointment '
                              'yesterday" and it "went really well".',
                              'She said she has booked onto Triple P, starting next week.']},
                   {'header': '14.02.23 | Case note | Social Worker',
                    'lines': ['CAMHS duty worker Rachel Kim rang: Ellie has not been brought '
                              'to either appointment offered.',
                              'CAMHS will discharge Ellie if a third appointment is missed.',
                              'Will discuss with Michelle at the next visit and ask school to '
                              'help with transport.']},
                   {'header': '21.02.23 | Home visit | Social Worker',
                    'lines': ['Unannounced visit, 4.30pm.',
                              'House very different from last time: dishes piled up, smell of '
                              'dog urine, no food in the fridge.',
                              'Michelle said she "just hasn\'t had a chance" this week and '
                              'everything is "on track".',
                              'Ellie seen alone: she said the CAMHS appointment "didn\'t '
                              'happen" because mum "forgot".',
                              'Jack seen; he had no coat and his school shoes had split.']},
                   {'header': '[2023-03-14] CIN review',
                    'lines': ['CIN review at school.',
                              'Attendance: Ellie 86%, Jack 90%, no change since January.',
                              'Triple P: Michelle booked but has attended 1 of 4 sessions so '
                              'far.',
                              'CAMHS: Ellie now seen once, after school staff took her.',
                              'Next review 24/04; step-down to Early Help to be considered '
                              'then.']},
                   {'header': '20.03.23 | Home visit | Social Worker',
                    'lines': ['Planned visit, 4pm.',
                              "House tidy, curtains up in Ellie's room.",
                              'Ellie seen alone in her room; she said mum has been "trying '
                              'really hard".',
                              'Jack at football practice, not seen.']},
                   {'header': '17.04.23 | Home visit | Social Worker',
                    'lines': ['Unannounced visit, 4.15pm.',
                              'Michelle let me in after a few minutes; I could hear hoovering.',
                              'Both children seen; Jack seen alone in his room and said "mum '
                              'shouts when Craig\'s here".',
                              'Michelle said Craig "doesn\'t stay over any more", but his coat '
                              'and work boots were in the hall.']},
                   {'header': '[2023-04-24] CIN review - step down',
                    'lines': ['CIN review at school. Attendance: Ellie 88%, Jack 93%, both up '
                              'since March.',
                              'Step-down agreed: Ellie and Jack stop being children in need '
                              'today and move to Early Help.',
                              'Family support worker Gemma Lister (Early Help) allocated from '
                              'today.',
                              'Michelle thanked Hannah for "changing our lives" and said she '
                              'feels "ready to do it on my own".']},
                   {'header': '[2023-07-19] TAF meeting',
                    'lines': ["Team Around the Family review at Moorside Children's Centre "
                              '(Early Help).',
                              'Michelle attended on time and said everything is "brilliant".',
                              "School report Ellie's attendance is down to 79% with two lates "
                              'a week.',
                              'Michelle said school "always exaggerate".']},
                   {'header': '02.10.23 | Home visit | Family Support Worker',
                    'lines': ['Planned EH visit, 10am.',
                              'Michelle cancelled by text an hour before: "Jack\'s poorly, can '
                              'we do next week?"',
                              'Rebooked for Monday 09/10.']},
                   {'header': '09.10.23 | Home visit | Family Support Worker',
                    'lines': ['Planned visit rebooked from last week, 10am.',
                              'Michelle answered and said she had a migraine and could I come '
                              'back another day.',
                              'I accepted this and left; the children were at school in any '
                              'case.']},
                   {'header': '04.12.23 | Referral | Front Door',
                    'lines': ['Re-referral from Moorside Academy.',
                              'Ellie told her tutor she has been cutting "most nights" and '
                              'that there is "never any food in".',
                              "Jack's attendance this term is 74%.",
                              'Records show Michelle took the children to Swansea in 2016 '
                              'during a previous assessment.',
                              'Passed to the assessment team; duty SW to visit within 7 '
                              'days.']},
                   {'header': '11.12.23 | Home visit | Duty Social Worker',
                    'lines': ['Unannounced assessment visit (Ravi Shah, duty SW), 4pm.',
                              'Home cold, no food in the cupboards, dog mess on the landing.',
                              'Michelle said she has "done everything everyone asked" and that '
                              'school are "making it up".',
                              'Ellie seen alone: she showed me healing cuts on her arm and '
                              'said she does it "to feel something".',
                              'Jack seen with mum.']},
                   {'header': '[2024-01-22] CIN meeting',
                    'lines': ['Assessment complete: Ellie and Jack open as children in need '
                              'again from today.',
                              "Case allocated to Tom Akande (SW), the family's third worker in "
                              'a year.',
                              'Michelle told the meeting she was "so relieved" to have a new '
                              'worker and Tom "seems lovely".',
                              'Plan: CAMHS urgent referral for Ellie, school attendance, food '
                              'and heating, fortnightly visits.']},
                   {'header': '30.01.24 | Home visit | Social Worker',
                    'lines': ['Planned visit (TA), 4pm, my first visit.',
                              'Spotless and smelling of bleach, but only milk in the fridge '
                              "and no sheet on Ellie's bed.",
                              'Ellie seen alone in her room; she said "it\'s always like this '
                              'before you come".',
                              'Jack seen with mum. Michelle said she has "sorted the CAMHS '
                              'thing".']},
                   {'header': '12.02.24 | Home visit | Social Worker',
                    'lines': ['Planned visit cancelled by me (sickness). Michelle told by '
                              'phone at 9am and was fine about it.',
                              'Rebooked for Wednesday 14/02.']},
                   {'header': '14.02.24 | Home visit | Social Worker',
                    'lines': ['Planned visit as rebooked, 4.30pm.',
                              'Ellie seen alone; she said CAMHS "haven\'t rung" and she is '
                              '"still doing it, just less".',
                              'Jack seen alone after Ellie; he said he is "fine" and that mum '
                              '"does try".',
                              'CAMHS confirm they left two voicemails and a letter; Michelle '
                              'has not called back.',
                              'Michelle was not avoiding me today; she had waited in and had '
                              'the kettle on.']},
                   {'header': '[2024-03-05] CIN review',
                    'lines': ['CIN review at school.',
                              'Attendance: Jack 76%, Ellie 81%, no better than December.',
                              'CAMHS: first appointment now booked for 19/03 after school made '
                              'the call.',
                              'Michelle said the plan is "really working" and asked for the '
                              'review to be "the last one".',
                              'Plan continues, next review in 6 weeks.']}]},
 'T01': {'path': 'T01_audit_export/audit_export.xlsx',
         'sheet': 'Notes',
         'columns': ['Case ID', 'Event Date', 'Type', 'Author', 'Agency', 'Narrative'],
         'rows': [['S10',
                   '2023-06-05',
                   False,
                   'CIN Meeting',
                   'Daniel Mensah (SW)',
                   "Children's Social Care",
                   'Initial CIN meeting at Greenbank Academy following the assessment. Callum '
                   'and Poppy are now open as children in need (neglect, home conditions, '
                   "Callum's attendance 61%). Case allocated to me.\n"
                   'Wayne said the house is "no worse than anyone\'s" and that Callum\'s '
                   'attendance is "the school\'s problem, not mine".\n'
                   'Wayne has a diagnosis of depression and told the meeting that some months '
                   'he does not leave the house "for weeks".\n'
                   'In 2018 Wayne was cautioned for threatening a neighbour with a hammer.'],
                  ['S10',
                   '2023-06-12',
                   True,
                   'Home Visit',
                   'Daniel Mensah (SW)',
                   "Children's Social Care",
                   'Planned visit 4pm. Wayne let me in. Hoarding in every room: kitchen table, '
                   'sofa and stairs covered in bags and boxes, narrow paths through.\n'
                   'Both children seen in the lounge. When I asked to speak to Callum and '
                   'Poppy on their own, Wayne stayed in the doorway and said anything they had '
                   'to say "they can say in front of me".\n'
                   'Poppy looked at her dad before answering every question.'],
                  ['S10',
                   '2023-06-20',
                   False,
                   'Complaint',
                   'Karen Walsh (Team Manager)',
                   "Children's Social Care",
                   'Stage 1 complaint from Wayne by phone and email: says Daniel "barged in", '
                   '"judged my house" and "interrogated my kids".\n'
                   'He wants a different social worker "who isn\'t a foreigner".\n'
                   'Complaint acknowledged; Daniel supported by me and the service manager.'],
                  ['S10',
                   '2023-07-03',
                   False,
                   'Home Visit',
                   'Daniel Mensah (SW)',
                   "Children's Social Care",
                   'Planned joint visit with senior SW Helen Cole after the complaint, 4pm.\n'
                   'Wayne let us in but argued about every point in the assessment and said '
                   'the school "make things up" about Callum.\n'
                   'Poppy seen alone in the garden: she said she likes it when "Dad\'s in a '
                   'good mood" and that she makes her own tea.\n'
                   'Callum out, not seen.'],
                  ['S10',
                   '2023-07-17',
                   True,
                   'CIN Review',
                   'Daniel Mensah (SW)',
                   "Children's Social Care",
                   'CIN review at Greenbank.\n'
                   'Wayne told the meeting Callum has moved to Hillside Academy "for a fresh '
                   'start", which is why Greenbank have no attendance for him this month.\n'
                   'Hillside, rung during the meeting, have no record of Callum or of any '
                   'application.\n'
                   'Home conditions: no change.'],
                  ['S10',
                   '2023-07-31',
                   False,
                   'Home Visit',
                   'Daniel Mensah (SW)',
                   "Children's Social Care",
                   'Planned visit, 11am (summer holidays).\n'
                   "Both children seen alone in turn in Callum's bedroom: Callum said he is "
                   '"bored" and goes "down the park" most nights; Poppy said dad has been "sad '
                   'and in bed a lot".\n'
                   'Wayne had cleared the sofa and the stairs.'],
                  ['S10',
                   '2023-09-11',
                   False,
                   'Allocation',
                   'Karen Walsh (Team Manager)',
                   "Children's Social Care",
                   'Daniel Mensah has left the authority. Case reallocated to Rupinder Kaur '
                   '(SW) from today.\n'
                   'I rang Wayne to tell him; he said "so that\'s another one then" and agreed '
                   'to a visit next Monday at 4pm.'],
                  ['S10',
                   '2023-09-18',
                   True,
                   'Home Visit',
                   'Rupinder Kaur (SW)',
                   "Children's Social Care",
                   'Planned introductory visit, 4pm, arranged by my manager last week.\n'
                   'No answer, though the TV was on.\n'
                   'Wayne texted at 5pm: "not meeting another one, what\'s the point".'],
                  ['S10',
                   '2023-09-25',
                   False,
                   'Home Visit',
                   'Rupinder Kaur (SW)',
                   "Children's Social Care",
                   'Unannounced visit 4.15pm. Wayne answered and let me in after some '
                   'persuasion.\n'
                   'Callum and Poppy seen; Callum seen alone in his room, quiet, said school '
                   'is "pointless".\n'
                   'Wayne told me I was "the fourth social worker" he has had to deal with and '
                   'made me a cup of tea.'],
                  ['S10',
                   '2023-10-16',
                   False,
                   'CIN Review',
                   'Rupinder Kaur (SW)',
                   "Children's Social Care",
                   'CIN review. Wayne attended, calm.\n'
                   "Callum's attendance 64%; hoarding unchanged downstairs.\n"
                   'Wayne agreed to a referral to the adult mental health team but has not '
                   'been to his GP as agreed in June.'],
                  ['S10',
                   '2023-11-13',
                   True,
                   'Incident',
                   'PC J. Barker',
                   'Police',
                   'Callum (13) found at 01:10 in a car parked at Lidl with two males aged 19 '
                   'and 22 known for drug supply.\n'
                   'Taken home; Wayne was asleep and did not know Callum was out. Wayne told '
                   'officers Callum "never goes out at night".\n'
                   'Exploitation screening tool completed; referral to CSC.'],
                  ['S10',
                   '2023-11-15',
                   False,
                   'Strategy Meeting',
                   'Rupinder Kaur (SW)',
                   "Children's Social Care",
                   'Strategy meeting re child criminal exploitation: police, school, YOT, SW, '
                   'TM.\n'
                   'S47 threshold not met; continue under CIN with an exploitation plan; '
                   'police to disrupt the two males. Callum to be offered a youth worker.'],
                  ['S10',
                   '2023-12-04',
                   False,
                   'Home Visit',
                   'Rupinder Kaur (SW)',
                   "Children's Social Care",
                   'Planned visit 4pm.\n'
                   'Wayne said Callum "was just at a mate\'s" on 13/11 and "the police made a '
                   'big thing of nothing".\n'
                   'Callum seen alone: he said the older lads "look after" him and buy him '
                   'food. Poppy seen with Wayne.\n'
                   'PC Barker told me afterwards that Callum was stopped again two weeks ago '
                   'in the same car park, with one of the same males.'],
                  ['S09',
                   '2024-01-08',
                   True,
                   'Core Group',
                   'Laura Quigley (SW)',
                   "Children's Social Care",
                   "First core group since Theo's birth on 02/01. Leanne and Shaun attended "
                   'and were positive about the plan.\n'
                   'Leanne has a mild learning disability and finds written plans hard to '
                   'follow; an easy-read version of the plan was gone through with her.\n'
                   "Maisie's nursery attendance is still around 60%, the same as at the "
                   'pre-birth ICPC.\n'
                   'Leanne thanked everyone and said we are "the best team ever".'],
                  ['S09',
                   '2024-01-10',
                   False,
                   'Home Visit',
                   'Nadia Iqbal (HV)',
                   'Health Visiting',
                   'New birth visit, planned. Leanne, Shaun, Maisie and Theo (8 days) at '
                   'home.\n'
                   'Theo weighed 3.2kg (BW 3.3kg), feeding well on formula. Maisie seen '
                   'playing with her dolls.\n'
                   'Leanne said I was "so much better than the last HV" and gave me a '
                   'thank-you card.\n'
                   "Theo's Moses basket was full of clothes and Shaun said Theo has been "
                   'sleeping on the sofa with him; safe sleep discussed again.'],
                  ['S10',
                   '2024-01-15',
                   False,
                   'Allocation',
                   'Karen Walsh (Team Manager)',
                   "Children's Social Care",
                   'Rupinder Kaur is on long-term sick leave. Case reallocated to Amy Fletcher '
                   '(SW) from today, the third allocated worker since June.\n'
                   'Wayne told by letter today, offering a visit on 22/01 at 4pm.'],
                  ['S09',
                   '2024-01-16',
                   True,
                   'Home Visit',
                   'Laura Quigley (SW)',
                   "Children's Social Care",
                   'Planned visit. Home warm and tidy.\n'
                   'Maisie seen alone in her bedroom: she showed me her new bed and said Theo '
                   '"cries all the time" and "daddy shouts at him to shush".\n'
                   'Theo asleep in the Moses basket, now cleared. Theo now sleeps in the Moses '
                   'basket every night, so the safe sleep concern is resolved.\n'
                   'Leanne cannot read the letters we send, so appointments will be given by '
                   'phone as well.'],
                  ['S10',
                   '2024-01-22',
                   False,
                   'Home Visit',
                   'Amy Fletcher (SW)',
                   "Children's Social Care",
                   'Planned first visit, 4pm, as offered in the letter.\n'
                   'Wayne answered, called me "another clueless one" and shouted that he was '
                   '"sick of the lot of you"; I stayed on the doorstep.\n'
                   'After ten minutes he let me in. Both children seen; Poppy seen alone in '
                   'her room: she said she wants "a normal house where friends can come".'],
                  ['S09',
                   '2024-01-24',
                   False,
                   'Home Visit',
                   'Laura Quigley (SW)',
                   "Children's Social Care",
                   'Unannounced visit, 10am. Leanne let me in. Maisie not at nursery ("she had '
                   'a cough"), seen in the lounge with mum. Theo in his Moses basket.\n'
                   'Leanne told me she has been filling in the feeding and sleep chart every '
                   "day, but the chart on the fridge was blank except for today's date.\n"
                   'Shaun said they have been "really on it" and thanked me for "believing in '
                   'us".'],
                  ['S09',
                   '2024-01-31',
                   True,
                   "Children's Centre",
                   'Kerry Dale (FSW)',
                   'Early Help',
                   "Baby massage group at Southfield Children's Centre. Leanne came with Theo "
                   'and stayed for the whole session.\n'
                   'Leanne needed the handout read to her because of her learning disability.\n'
                   'Theo content, good eye contact.'],
                  ['S09',
                   '2024-02-06',
                   False,
                   'Home Visit',
                   'Laura Quigley (SW)',
                   "Children's Social Care",
                   'Planned visit 2pm, arranged at the last visit. No answer, curtains drawn '
                   'upstairs.\n'
                   'Rang Leanne and Shaun: both phones off. Card left.'],
                  ['S09',
                   '2024-02-08',
                   False,
                   'Home Visit',
                   'Nadia Iqbal (HV)',
                   'Health Visiting',
                   'Planned 6-week check at home, 11am, letter sent last week. No answer and '
                   "Leanne's car not outside.\n"
                   'Texted, no reply. Informed SW Laura Quigley.'],
                  ['S10',
                   '2024-02-08',
                   True,
                   'Complaint',
                   'Complaints Team',
                   "Children's Social Care",
                   'Second complaint from Wayne, by email: says Amy "stood on my doorstep '
                   'spying" on 22/01 and asks for the case to be closed.\n'
                   'The June 2023 complaint was not upheld.'],
                  ['S09',
                   '2024-02-12',
                   False,
                   'Core Group',
                   'Laura Quigley (SW)',
                   "Children's Social Care",
                   'Core group at Southfield. Leanne and Shaun did not attend and did not '
                   'reply to messages.\n'
                   'Maisie has not been at nursery since Friday 09/02.\n'
                   'If there is no contact by Friday 16/02 police will be asked to do a '
                   'welfare check.'],
                  ['S09',
                   '2024-02-13',
                   False,
                   'Telephone Call',
                   'Laura Quigley (SW)',
                   "Children's Social Care",
                   'Shaun rang back at 7pm. He said they are "fine, just busy with the baby" '
                   'and that they "forgot" about the core group.\n'
                   'He would not agree a day for a visit and said he\'d "ring next week".\n'
                   'As he sounded calm, I agreed to a phone catch-up next week instead of a '
                   'visit.'],
                  ['S09',
                   '2024-02-19',
                   True,
                   'Home Visit',
                   'Laura Quigley (SW)',
                   "Children's Social Care",
                   'Unannounced visit 9am. No answer.\n'
                   'A neighbour said the family "moved out on Friday in a van".\n'
                   'Letterbox taped up, no curtains at the windows.'],
                  ['S09',
                   '2024-02-20',
                   False,
                   'Case Note',
                   'Laura Quigley (SW)',
                   "Children's Social Care",
                   'Housing confirm Leanne handed in her keys on Friday 16/02 and left no '
                   'forwarding address.\n'
                   "The family's whereabouts are now unknown.\n"
                   'Discussed with TM: strategy meeting tomorrow; CP-IS alert raised.'],
                  ['S09',
                   '2024-02-21',
                   False,
                   'Strategy Meeting',
                   'Laura Quigley (SW)',
                   "Children's Social Care",
                   'Strategy meeting with police, HV, nursery and housing.\n'
                   'GP records show the family registered with a surgery in Blackpool on '
                   '19/02.\n'
                   'Blackpool CSC and Lancashire Police asked to locate the family and see the '
                   'children.'],
                  ['S09',
                   '2024-02-26',
                   True,
                   'Telephone Call',
                   'Laura Quigley (SW)',
                   "Children's Social Care",
                   "Leanne rang after Lancashire Police left a card at Shaun's mother's.\n"
                   'She said they moved to Blackpool "to be near Shaun\'s mum" and "didn\'t '
                   'think we had to tell anyone".\n'
                   'She gave their address as Flat 2, 14 Marine Parade.\n'
                   'She said she "doesn\'t want social workers any more".'],
                  ['S09',
                   '2024-03-04',
                   False,
                   'Case Note',
                   'M. Dunne (SW)',
                   'Blackpool CSC',
                   'Lancashire Police checked 14 Marine Parade today: there is no Flat 2 and '
                   'nobody there knows the family.\n'
                   "Still trying to trace them through the GP surgery and Shaun's mother."],
                  ['S09',
                   '2024-03-11',
                   False,
                   'RCPC',
                   'Chair: P. Osei',
                   "Children's Social Care",
                   'Review child protection conference. Leanne and Shaun joined by phone for '
                   '10 minutes then hung up.\n'
                   'The children have not been seen by any professional since 31/01.\n'
                   'Nothing on the plan has moved since January: Maisie not in any nursery, '
                   "Theo's 6-8 week check not done, parenting assessment not started.\n"
                   'CP plans continue; legal planning meeting to be booked; family to be '
                   'traced urgently.'],
                  ['S09',
                   '2024-03-18',
                   True,
                   'Home Visit',
                   'M. Dunne (SW)',
                   'Blackpool CSC',
                   'Unannounced joint visit with Lancashire Police to 7 Cedar Close, '
                   'Blackpool, after a tip from the GP surgery.\n'
                   'Leanne answered and let us in. Theo seen, well and clean. Maisie thin and '
                   'grubby.\n'
                   'Maisie seen alone in the bedroom and said she "misses nursery" and her '
                   'friend Ava.\n'
                   'Leanne said this is their new home.'],
                  ['S10',
                   '2024-03-18',
                   False,
                   'CIN Review',
                   'Amy Fletcher (SW)',
                   "Children's Social Care",
                   "CIN review. Callum's attendance up to 82% since he started with the youth "
                   'worker; no police contact since November; downstairs cleared with help '
                   'from the hoarding service.\n'
                   'Wayne did not raise any complaint about the step-down.\n'
                   'Step-down agreed: Callum and Poppy stop being children in need today; '
                   'Early Help family support worker Jo Reid allocated.'],
                  ['S10',
                   '2024-05-20',
                   False,
                   'Closure',
                   'Jo Reid (FSW)',
                   'Early Help',
                   'Early Help closure summary. Wayne took part in 6 of 8 visits; hoarding '
                   'service continuing; Callum attending youth club twice a week.\n'
                   'Family agree to closure. Case closed today.']]},
 'S12_school': {'path': 'S12/04_school.docx',
                'title': 'Ashfield Primary School - safeguarding record export - Leo Morgan '
                         '(Year 2)',
                'notes': [{'header': '21/05/2024 - Meeting with parent - D. Grant, DSL',
                           'lines': ["Planned meeting with Stacey at school about Leo's "
                                     'attendance (89%) and behaviour. Stacey came on time.',
                                     'She said she trusts school "more than anyone" and asked '
                                     'us not to pass things on to the social worker.',
                                     'There is no suggestion that Stacey is avoiding school; '
                                     'she always answers our calls.']},
                          {'header': '10/07/2024 - Safeguarding log - D. Grant, DSL',
                           'lines': ['Leo told Miss Khan (class teacher) that "Ryan was in the '
                                     'loft" and that mum told him to "keep it a secret from '
                                     'the police".',
                                     'He then asked if he was "in trouble". Passed to SW '
                                     'Marcus Webb by phone at 11:00.']}]}}
# fmt: on


# ---------------------------------------------------------------- plain text
def build_text(spec: dict) -> bytes:
    lines = [spec["title"], ""]
    for note in spec["notes"]:
        lines.append(note["header"])
        lines.extend(note["lines"])
        lines.append("")
    text = spec["newline"].join(lines)
    if spec["encoding"] == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(spec["encoding"])


# ---------------------------------------------------------------- OOXML helpers
def normalise_ooxml(blob: bytes) -> bytes:
    """Rewrite a .docx/.xlsx zip with fixed timestamps and a fixed modified date."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
    return out.getvalue()


def build_docx(spec: dict) -> bytes:
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    props = doc.core_properties
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.title = spec["title"]
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_paragraph(spec["title"]).runs[0].bold = True
    for note in spec["notes"]:
        doc.add_paragraph("")
        doc.add_paragraph(note["header"]).runs[0].bold = True
        for line in note["lines"]:
            doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_ooxml(buf.getvalue())


def build_xlsx(spec: dict) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    wb.properties.creator = AUTHOR
    wb.properties.lastModifiedBy = AUTHOR
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = spec["sheet"]
    ws.append(spec["columns"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for case_id, iso_date, as_text, kind, author, agency, narrative in spec["rows"]:
        day = dt.date.fromisoformat(iso_date)
        ws.append([case_id, day.strftime("%d/%m/%Y") if as_text else day, kind, author, agency,
                   narrative])
        row = ws.max_row
        if not as_text:
            ws.cell(row=row, column=2).number_format = "dd/mm/yyyy"
        ws.cell(row=row, column=6).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEF", (9, 12, 18, 24, 24, 100), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_ooxml(buf.getvalue())


# ---------------------------------------------------------------- PDF
def build_pdf(spec: dict) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2024, 1, 1, 9, 0, 0, tzinfo=dt.UTC))
    pdf.set_author(AUTHOR)
    pdf.set_creator(AUTHOR)
    pdf.set_title(spec["title"])
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    usable = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", 10)
        if pdf.get_string_width(text) > usable:
            raise ValueError(f"PDF line too long to fit without wrapping: {text!r}")
        pdf.cell(usable, 5.5, text, new_x="LMARGIN", new_y="NEXT")

    line(spec["title"], bold=True)
    for note in spec["notes"]:
        line("")
        line(note["header"], bold=True)
        for text in note["lines"]:
            line(text)
    return bytes(pdf.output())


BUILDERS = {
    "S02": build_text,
    "S04": build_text,
    "S06": build_docx,
    "S07": build_pdf,
    "T01": build_xlsx,
    "S12_school": build_docx,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if a file on disk differs from what would be built")
    args = parser.parse_args(argv)
    stale = []
    for key, build in BUILDERS.items():
        spec = DATA[key]
        path = SAMPLE_DIR / spec["path"]
        blob = build(spec)
        if args.check:
            if not path.exists() or path.read_bytes() != blob:
                stale.append(spec["path"])
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
        print(f"wrote {spec['path']} ({len(blob)} bytes)")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
