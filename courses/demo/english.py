"""English translations of the demo catalog, orientation course and platform course for `seed_demo`.

Same modules, lessons and blocks as the Thai originals in `courses/demo/content.py`, so a reader can switch
language on any page. The follow-up course stays Thai only: the English catalog shows it with a
notice, as it shows any course not yet translated.
"""

from courses.demo.assets import (
    PFA_GUIDE_URL,
    accordion,
    callout,
    download,
    embed,
    figure,
    heading,
    help_lines,
    key_points,
    reflection,
    text,
    video,
)

HELP_TITLE = "Help lines you can pass on"

# The catalog's English fields, translated like the courses (the Thai fields are in `courses/demo/content.py`).
CATALOG = {
    "title": "Courses",
    "intro": "<p>Choose a course, filter by topic, or search the text of the lessons.</p>",
}


def video_en(documents, title: str) -> dict:
    block = video(documents, title)
    block["value"]["transcript"] = (
        "<p>Breathe in slowly through your nose, counting to four, then breathe out slowly through "
        "your mouth, counting to four. Repeat twice and notice your shoulders and hands relax.</p>"
    )
    return block


def orientation_en(images, documents) -> dict:
    """The course fields and, by slug, each module's and lesson's English fields."""
    return {
        "course": {
            "title": "Orientation for overseas social development volunteers",
            "summary": "The basic course for new volunteers: role and ethics, domestic violence, mental health, "
            "welfare rights and cross-border referral.",
            "description": "<p>This course prepares new volunteers to help Thai people abroad safely and "
            "ethically. Completing it issues a certificate and is required before registration as a "
            "volunteer.</p>",
            "cover_alt": "Circles standing for Thai people in many cities, linked into a network",
            "audience": "New volunteers and applicants to become overseas volunteers",
        },
        "tags": [
            "volunteer role",
            "domestic violence",
            "mental health",
            "welfare law",
            "cross-border referral",
        ],
        "modules": {
            "role-and-ethics": {
                "title": "The volunteer's role and ethics",
                "summary": "What overseas volunteers do and do not do, and how they keep the trust of the "
                "people who come to them.",
            },
            "domestic-violence": {
                "title": "Recognising and responding to domestic violence",
                "summary": "Warning signs, talking safely, and safety planning with the person harmed.",
            },
            "mental-health": {
                "title": "Mental health and psychological first aid",
                "summary": "Depression, psychological first aid with Look, Listen, Link, and responding to "
                "suicide risk.",
            },
            "welfare-rights": {
                "title": "Welfare rights and public-benefit organisations",
                "summary": "Certification as a public-benefit organisation under the Social Welfare Promotion "
                "Act B.E. 2546 (2003), and the Social Welfare Promotion Fund.",
            },
            "cross-border-referral": {
                "title": "Referring cases across borders",
                "summary": "Referring a case between the country of residence and Thailand, with the least "
                "data needed and with consent.",
            },
        },
        "lessons": {
            "who-we-are": {
                "title": "Who overseas volunteers are",
                "summary": "The role of overseas volunteers as the link between Thai people in difficulty and the services that can help.",
                "body": [
                    heading("A network close to Thai people abroad"),
                    text(
                        "<p>Overseas social development and human security volunteers are Thai people who "
                        "work in foundations, associations, clubs or Thai community groups in their country "
                        "of residence, and who choose to be a <b>link</b> between Thai people in trouble and "
                        "the services that can help.</p><p>Volunteers do not replace the police, doctors or "
                        "social workers; they help people find where to go, and reach help sooner in a "
                        "language they understand.</p>"
                    ),
                    figure(
                        images["network"],
                        "Several circles standing for Thai people in different cities, linked by lines, with an "
                        "orange circle in the middle for the volunteer",
                        "Volunteers link Thai people with the services that help",
                    ),
                    key_points(
                        [
                            "Listen and give first information in Thai",
                            "Refer people to the right services, in the country of residence and in Thailand",
                            "Report on the community to the Centre for Promotion and Coordination of Thai "
                            "Social Development Abroad",
                        ],
                        title="Key points",
                    ),
                    reflection(
                        "Think of Thai people in your community who may not know whom to ask for help. Who are "
                        "they, and what makes help hard for them to reach?"
                    ),
                ],
            },
            "ethics-and-confidentiality": {
                "title": "Ethics, confidentiality and the limits of the role",
                "summary": "Keeping confidences, asking for consent before passing information on, and the limits of the volunteer's role.",
                "body": [
                    text(
                        "<p>Trust is a volunteer's most important tool. People who tell us something hard must "
                        "be sure it will not travel around the community.</p><ul><li>Ask for consent every "
                        "time before passing on information</li><li>Record only what is needed, and keep it "
                        "where the centre says</li><li>Never accept money or gifts from the people you "
                        "help</li></ul>"
                    ),
                    callout(
                        "warning",
                        "When a life is in danger",
                        "<p>If someone risks being hurt or hurting themselves, <b>call the emergency number of "
                        "the country at once</b>. Safety of life comes before confidentiality.</p>",
                    ),
                    accordion(
                        [
                            (
                                "A friend in the community asks what trouble a family has. What do I say?",
                                "<p>Say politely that you cannot talk about other people's matters. Neither "
                                "confirm nor deny that you have spoken with that family.</p>",
                            ),
                            (
                                "Can I help with something outside what I know?",
                                "<p>Say honestly that it is outside what you know, then help find the right "
                                "service. Guessing can cost the person a chance or put them at more risk.</p>",
                            ),
                            (
                                "May I give my personal phone number?",
                                "<p>Use the organisation's number or one kept for volunteering, to keep "
                                "boundaries and both of you safe.</p>",
                            ),
                        ],
                        title="Common questions",
                    ),
                    key_points(
                        [
                            "Ask for consent before referring",
                            "Keep as little data as possible",
                            "Know your limits and refer beyond them",
                        ],
                        title="Key points",
                    ),
                ],
            },
            "self-care": {
                "title": "Looking after yourself while helping others",
                "summary": "Signs of emotional fatigue and ways to rest while helping others, with a breathing exercise.",
                "body": [
                    text(
                        "<p>Listening to hard stories again and again can wear you out. That is not weakness; "
                        "it is a sign to rest and talk with someone you trust.</p><p>Try slow breathing with "
                        "this video. It helps you, and someone in a panic.</p>"
                    ),
                    video_en(documents, "Slow breathing with a circle that grows and shrinks"),
                    reflection(
                        "What did you do this week to rest, and who can you talk to when it feels heavy?"
                    ),
                ],
            },
            "recognising-abuse": {
                "title": "Signs of domestic violence",
                "summary": "The forms domestic violence takes and the signs to notice among Thai people abroad.",
                "content_note": "This lesson talks about physical, emotional, sexual and financial violence in "
                "families.",
                "body": [
                    text(
                        "<p>Domestic violence is not only hitting. It includes threats, controlling money, "
                        "taking away a passport, keeping someone from friends, and sexual coercion.</p><p>Thai "
                        "people abroad may be at more risk when they do not speak the local language well, "
                        "when their residence permit depends on a spouse, or when they do not know the local "
                        "services.</p>"
                    ),
                    key_points(
                        [
                            "Injuries that are not explained, or explanations that do not fit",
                            "No money or documents of their own",
                            "Seems afraid, or must ask the partner before doing anything",
                            "Slowly disappears from community activities",
                        ],
                        title="Signs to notice",
                    ),
                    callout(
                        "warning",
                        "Never confront the abuser yourself",
                        "<p>Scolding or mediating with the abuser can put the person harmed in more danger. "
                        "Refer to services with the power and skills to act.</p>",
                    ),
                    help_lines(
                        HELP_TITLE, "Pass these lines on to the person harmed when it is safe to do so."
                    ),
                ],
            },
            "talking-safely": {
                "title": "Talking safely with the person harmed",
                "summary": "Preparing for and holding a conversation with the person harmed without putting them in greater danger.",
                "body": [
                    heading("Before you talk"),
                    text(
                        "<p>Find a place where the abuser cannot hear, ask whether it is safe to talk now, and "
                        "agree how you will change the subject if someone comes in.</p>"
                    ),
                    heading("While you talk", "h3"),
                    text(
                        "<ol><li>Believe what they tell you, and say it is not their fault</li><li>Ask what "
                        "they want instead of telling them what to do</li><li>Give information about the "
                        "options and respect their decision</li></ol>"
                    ),
                    accordion(
                        [
                            (
                                "What if they do not want to call the police?",
                                "<p>Respect the decision; give the help lines and shelters for when they are "
                                "ready. If a life or a child is in danger, call the emergency number.</p>",
                            ),
                            (
                                "What if they fear being sent back to Thailand?",
                                "<p>Explain that in many countries people harmed have a right to protection "
                                "that does not depend on the spouse, and help contact the embassy or a lawyer "
                                "for accurate information about that country.</p>",
                            ),
                        ],
                        title="Common questions",
                    ),
                    reflection(
                        "What is the first thing you will say to someone who has just told you they were hurt? "
                        "Write it in your own words."
                    ),
                    help_lines(HELP_TITLE),
                ],
            },
            "safety-planning": {
                "title": "Safety planning",
                "summary": "Helping the person harmed prepare a safety plan to leave a dangerous situation, with the decisions left to them.",
                "body": [
                    text(
                        "<p>A safety plan is what the person harmed prepares in advance to leave a dangerous "
                        "situation at once. Volunteers can help think it through, but the person decides.</p>"
                    ),
                    figure(
                        images["shelter"],
                        "An orange house with a blue shield under its roof",
                        "Home should be safe; a safety plan helps when it is not",
                    ),
                    download(
                        documents["safety_plan"],
                        "Safety plan (practice sheet, in Thai)",
                        "Topics to talk through together; do not write real names on it.",
                    ),
                    callout(
                        "info",
                        "Keep the plan somewhere safe",
                        "<p>If the person keeps the plan, keep it where the abuser will not find it, for "
                        "example with someone they trust.</p>",
                    ),
                ],
            },
            "depression": {
                "title": "Understanding depression",
                "summary": "The symptoms of depression, the risks of living far from home, and why volunteers notice but do not diagnose.",
                "content_note": "This lesson talks about depression and thoughts of dying.",
                "body": [
                    text(
                        "<p>Depression is an illness that can be treated, not a weakness or overthinking. "
                        "Being far from home, loneliness and pressure about work or family raise the risk.</p>"
                    ),
                    key_points(
                        [
                            "Sad, irritable or empty most days for more than two weeks",
                            "No interest in things they used to enjoy",
                            "Sleeping or eating very differently",
                            "Feeling worthless, or talking about death",
                        ],
                        title="Common signs",
                    ),
                    figure(
                        images["mind"],
                        "A green circle in the middle, surrounded by several blue ripples",
                        "A calm mind can come back with care",
                    ),
                    callout(
                        "info",
                        "Volunteers do not diagnose",
                        "<p>Our part is to notice, listen and help the person reach a professional, not to "
                        "diagnose an illness.</p>",
                    ),
                ],
            },
            "psychological-first-aid": {
                "title": "Psychological first aid: Look, Listen, Link",
                "summary": "Look, listen and link: first support for someone in distress.",
                "body": [
                    text(
                        "<p><b>Look</b> for people showing distress and check that they are safe. <b>Listen</b> "
                        "carefully, without judging. <b>Link</b> them with the help they need.</p>"
                    ),
                    embed(PFA_GUIDE_URL, "World Health Organization: Psychological first aid guide"),
                    video_en(documents, "Slow breathing with someone in a panic"),
                    accordion(
                        [
                            (
                                "Should I say 'don't think too much'?",
                                "<p>No. It tells them nobody understands. Try: 'Tell me, I am listening.'</p>",
                            ),
                            (
                                "What if they cry while we talk?",
                                "<p>Give them time and stay calmly beside them. Crying is a natural release.</p>",
                            ),
                        ],
                        title="Common questions",
                    ),
                ],
            },
            "suicide-risk": {
                "title": "When there is a risk of suicide",
                "summary": "Asking directly and with care, staying with the person, and calling for emergency help when there is a risk of suicide.",
                "content_note": "This lesson talks about suicide directly. If you are struggling yourself, please "
                "call one of the help lines below.",
                "body": [
                    callout(
                        "warning",
                        "You can ask directly",
                        "<p>Asking 'Are you thinking of hurting yourself?' does <b>not</b> put the idea in "
                        "their head; it gives them a chance to talk.</p>",
                    ),
                    text(
                        "<p>If they have a plan or the means, do not leave them alone. Call the emergency "
                        "number of the country and stay with them until help arrives.</p>"
                    ),
                    help_lines(HELP_TITLE, "Mental health and emergency lines"),
                    key_points(
                        [
                            "Ask directly",
                            "Stay with them; do not leave them alone",
                            "Call for help at once when there is a plan",
                        ],
                        title="Key points",
                    ),
                ],
            },
            "public-benefit-organisations": {
                "title": "Public-benefit organisations abroad",
                "summary": "How Thai foundations, associations and clubs abroad can be certified as public-benefit organisations under the Social Welfare Promotion Act B.E. 2546 (2003).",
                "body": [
                    text(
                        "<p>Thai foundations, associations, clubs and community groups abroad that do social "
                        "welfare work can apply for certification as <b>public-benefit organisations</b> under "
                        "the Social Welfare Promotion Act B.E. 2546 (2003). Once certified, they can propose "
                        "projects to the Social Welfare Promotion Fund.</p>"
                    ),
                    figure(
                        images["welfare"],
                        "Green hands holding a gold coin",
                        "Certification opens the way to support from the Fund",
                    ),
                    key_points(
                        [
                            "The organisation does social welfare work steadily and not for profit",
                            "It has people in charge and accounts that can be checked",
                            "The Centre for Promotion and Coordination of Thai Social Development Abroad "
                            "advises on applying",
                        ],
                        title="Key points",
                    ),
                ],
            },
            "welfare-fund": {
                "title": "The Social Welfare Promotion Fund",
                "summary": "The projects the Social Welfare Promotion Fund supports and how volunteers can help organisations.",
                "body": [
                    text(
                        "<p>The Social Welfare Promotion Fund supports projects that help people reach welfare, "
                        "such as preventing domestic violence, mental-health peer groups, or information on "
                        "rights for Thai people who have just moved.</p>"
                    ),
                    accordion(
                        [
                            (
                                "Which projects suit the Fund?",
                                "<p>Projects with a clear target group that solve a real problem in the "
                                "community and can show results.</p>",
                            ),
                            (
                                "How can volunteers help?",
                                "<p>Gather the community's needs, help the organisation prepare documents, and "
                                "report results after the project.</p>",
                            ),
                        ],
                        title="Common questions",
                    ),
                    download(documents["fund_checklist"], "Organisation readiness checklist (in Thai)"),
                ],
            },
            "referral-steps": {
                "title": "Steps of a referral",
                "summary": "The five steps of referring a case, from assessing safety to following up.",
                "body": [
                    heading("Five steps"),
                    text(
                        "<ol><li>Assess urgency and safety</li><li>Ask for consent to share information</li>"
                        "<li>Choose the right service, in the country of residence first</li><li>Send only "
                        "the information needed, through the channel the centre sets</li><li>Follow up on "
                        "the agreed date</li></ol>"
                    ),
                    figure(
                        images["referral"],
                        "Two arrows passing between a blue circle and an orange circle",
                        "Referral goes both ways and needs follow-up",
                    ),
                    key_points(
                        [
                            "Safety first",
                            "Consent before sharing",
                            "Refer in the country of residence first",
                            "Always follow up",
                        ],
                        title="Key points",
                    ),
                    download(
                        documents["referral_form"],
                        "Case referral record (in Thai)",
                        "The least information needed to refer a case",
                    ),
                ],
            },
            "working-with-local-services": {
                "title": "Working with services in the country of residence",
                "summary": "Working with the police, shelters and mental health services of the country of residence, including asking for a professional interpreter.",
                "body": [
                    text(
                        "<p>Services in the country of residence, such as the police, shelters and mental-health "
                        "services, have powers and resources that volunteers do not. Our work is to help Thai "
                        "people reach them, and to explain cultural meaning when needed.</p>"
                    ),
                    callout(
                        "info",
                        "Professional interpreters",
                        "<p>For legal or medical matters, ask the service for a professional interpreter. "
                        "Volunteers should not interpret themselves: mistakes can happen and neutrality "
                        "suffers.</p>",
                    ),
                    help_lines(HELP_TITLE, "Help lines for the country where you live"),
                    reflection("Which three services in your city should you know before something happens?"),
                ],
            },
        },
    }


def platform_en(images, documents) -> dict:
    return {
        "course": {
            "title": "How to use this platform",
            "summary": "A short course on finding courses, learning on your phone, and the quick exit button.",
            "description": "<p>No prerequisite; about ten minutes.</p>",
            "cover_alt": "A mobile phone showing a list of lessons with progress bars",
            "audience": "Everyone",
        },
        "tags": ["using the platform"],
        "modules": {
            "getting-started": {
                "title": "Getting started",
                "summary": "Find courses, learn on your phone, and follow your progress.",
            },
        },
        "lessons": {
            "find-a-course": {
                "title": "Find a course and start learning",
                "summary": "Finding a course by topic or by searching, enrolling, and picking up where you left off.",
                "body": [
                    text(
                        "<p>The catalog lists every course. Filter by topic, or type words in the search box: "
                        "it searches both courses and lessons.</p>"
                    ),
                    figure(
                        images["platform"],
                        "A phone showing a list of lessons with green progress bars",
                        "Learn on your phone, anywhere",
                    ),
                    key_points(
                        [
                            "Choose a topic to filter courses",
                            "Optional lessons are labelled",
                            "Go on to the next lesson at the end of the page",
                        ],
                        title="Key points",
                    ),
                ],
            },
            "sensitive-lessons": {
                "title": "Sensitive lessons and the quick exit button",
                "summary": "Content notes and the quick exit button in lessons about violence or mental health.",
                "body": [
                    text(
                        "<p>Lessons about violence or mental health start with a content note and have a red "
                        "<b>Quick exit</b> button that opens an ordinary website at once, even without "
                        "JavaScript.</p>"
                    ),
                    callout(
                        "info",
                        "Learn where you feel at ease",
                        "<p>If you are in an unsafe situation, learn when you have privacy.</p>",
                    ),
                ],
            },
        },
    }


TRANSLATIONS = {"orientation": orientation_en, "how-to-use-this-platform": platform_en}
