"""Demo campaign content: a fictional initiative's appeal against the NRW-SPD Leitantrag „NRW, jetzt erst gerecht“."""

from datetime import date

ORGANISATION = {
    "name": "Initiative Offenes Ankommen NRW e. V.",
    "short_name": "Offenes Ankommen",
    "street": "Am Weidenbogen 12",
    "postcode": "50823",
    "city": "Köln",
    "email": "kontakt@offenes-ankommen.example.org",
    "phone": "0221 4710 250",
    "website": "https://offenes-ankommen.example.org",
    "signatories": [
        {"name": "Dr. Friederike Lanfermann", "role": "Vorsitzende"},
        {"name": "Tarek Hamdan", "role": "Koordination Kampagnen"},
    ],
    "letterhead_note": (
        "Für Schutz, Teilhabe und Zusammenhalt in Nordrhein-Westfalen · "
        "Demo-Datensatz: Organisation, Anschrift und Empfänger:innen sind frei erfunden."
    ),
}

MOTION = {
    "slug": "nrw-jetzt-erst-gerecht",
    "title": "NRW, jetzt erst gerecht",
    "kind": "leitantrag",
    "party": "SPD NRW",
    "body": "Landesvorstand der NRW-SPD",
    "presented_on": date(2026, 1, 26),
    "decision_forum": "Landesparteitag der NRW-SPD",
    "decision_date": None,
    "status": "presented",
    "source_url": None,
    # Our own summary after the model letter (seed 002); we do not have the original wording.
    "full_text": (
        "Hinweis: Inhaltliche Zusammenfassung der migrationspolitischen Kernpunkte des\n"
        "Leitantrags nach dem Musterbrief; nicht der Originalwortlaut. Der Leitantrag\n"
        "„NRW, jetzt erst gerecht“ wurde am 26. Januar 2026 vom Landesvorstand der\n"
        "NRW-SPD vorgestellt. Nach der Darstellung des Musterbriefs verbindet er\n"
        "Bekenntnisse zu Gerechtigkeit, Integration und Zusammenhalt mit einem\n"
        "inhaltlichen Schwerpunkt auf Abschiebungen, Kontrolle und Abschreckung. Die\n"
        "folgenden Absätze geben die einzelnen Punkte in der Reihenfolge und mit den\n"
        "Begriffen wieder, die der Musterbrief verwendet.\n\n"
        "Zuständigkeit: Der Antrag sieht vor, Ausländerrecht, Rückkehrmanagement und\n"
        "Unterbringung im Innenministerium zu bündeln. Migrationspolitische Aufgaben\n"
        "würden damit organisatorisch beim Innenressort zusammengeführt. Wie die\n"
        "Neuordnung im Einzelnen aussehen soll, geht aus dem Musterbrief nicht hervor.\n\n"
        "Abschiebungen: Im Falle einer Regierungsbeteiligung nach der Landtagswahl 2027\n"
        "sollen Abschiebungen vollständig zur Aufgabe des Landes werden. Mit welchen\n"
        "Behörden und Verfahren das umgesetzt werden soll, beschreibt der Musterbrief\n"
        "nicht; auch ein Zeitplan wird dort nicht genannt.\n\n"
        "Landeseinrichtungen: Die Unterbringung in Einrichtungen des Landes soll massiv\n"
        "ausgebaut werden, und zwar auf mindestens 70.000 Plätze. Der Musterbrief sieht\n"
        "darin einen Gegensatz zu einer dezentralen, kommunal getragenen Unterbringung.\n\n"
        "Meldepflichten: Der Antrag sieht strikte Meldepflichten vor. Für welche\n"
        "Personengruppen und in welcher Form sie gelten sollen und wer ihre Einhaltung\n"
        "kontrolliert, lässt sich dem Musterbrief nicht entnehmen.\n\n"
        "Zentrale Unterkünfte: Menschen „ohne Bleibeperspektive“ sollen dauerhaft in\n"
        "zentralen Unterkünften verbleiben. Den Begriff greift der Musterbrief in\n"
        "Anführungszeichen aus dem Antrag auf; wie die Personengruppe abgegrenzt werden\n"
        "soll, führt der Musterbrief nicht aus.\n\n"
        "Sprachförderung: Der Antrag kündigt einen Ausbau der Sprachförderung an. Umfang,\n"
        "Zielgruppen und Finanzierung werden im Musterbrief nicht genannt.\n\n"
        "Berufsabschlüsse: Berufsabschlüsse sollen schneller anerkannt werden. Welche\n"
        "Verfahren dafür geändert werden sollen, geht aus dem Musterbrief nicht hervor.\n\n"
        "Kommunen: Die Kommunen sollen finanziell stärker unterstützt werden. Die Höhe\n"
        "der Mittel und den Weg ihrer Verteilung nennt der Musterbrief nicht."
    ),
}

PROVISIONS = [
    {
        "key": "innenministerium",
        "title": "Bündelung im Innenministerium",
        "summary": (
            "Ausländerrecht, Rückkehrmanagement und Unterbringung sollen im Innenministerium gebündelt werden. "
            "Migration würde damit vor allem als Aufgabe des Innenressorts organisiert."
        ),
        "stance": "oppose",
        "anchor": "Unterbringung im Innenministerium zu bündeln",
    },
    {
        "key": "abschiebungen-land",
        "title": "Abschiebungen als Landesaufgabe",
        "summary": (
            "Bei einer Regierungsbeteiligung nach der Landtagswahl 2027 sollen Abschiebungen vollständig "
            "zur Aufgabe des Landes werden."
        ),
        "stance": "oppose",
        "anchor": "Abschiebungen vollständig zur Aufgabe des Landes",
    },
    {
        "key": "landeseinrichtungen-70000",
        "title": "Ausbau der Landeseinrichtungen auf 70.000 Plätze",
        "summary": (
            "Die Unterbringung in Einrichtungen des Landes soll massiv auf mindestens 70.000 Plätze ausgebaut "
            "werden – zulasten einer dezentralen, kommunal getragenen Unterbringung."
        ),
        "stance": "oppose",
        "anchor": "auf mindestens 70.000 Plätze",
    },
    {
        "key": "meldepflichten",
        "title": "Strikte Meldepflichten",
        "summary": (
            "Der Antrag sieht strikte Meldepflichten vor. Für wen sie gelten und wie sie ausgestaltet werden, "
            "ist nach dem Musterbrief offen."
        ),
        "stance": "oppose",
        "anchor": "Der Antrag sieht strikte Meldepflichten vor",
    },
    {
        "key": "ohne-bleibeperspektive",
        "title": "Dauerhafte zentrale Unterbringung „ohne Bleibeperspektive“",
        "summary": (
            "Menschen „ohne Bleibeperspektive“ sollen dauerhaft in zentralen Unterkünften bleiben. "
            "Sie wären damit über lange Zeit von Bildung, Arbeit und sozialer Teilhabe abgeschnitten."
        ),
        "stance": "oppose",
        "anchor": "Menschen „ohne Bleibeperspektive“ sollen dauerhaft in",
    },
    {
        "key": "sprachfoerderung",
        "title": "Ausbau der Sprachförderung",
        "summary": "Die Sprachförderung soll ausgebaut werden. Diesen Ansatz begrüßen wir ausdrücklich.",
        "stance": "welcome",
        "anchor": "kündigt einen Ausbau der Sprachförderung an",
    },
    {
        "key": "anerkennung-berufsabschluesse",
        "title": "Schnellere Anerkennung von Berufsabschlüssen",
        "summary": (
            "Berufsabschlüsse sollen schneller anerkannt werden. Das erleichtert den Weg in Arbeit und "
            "wird von uns ausdrücklich begrüßt."
        ),
        "stance": "welcome",
        "anchor": "Berufsabschlüsse sollen schneller anerkannt werden",
    },
    {
        "key": "kommunen-finanzen",
        "title": "Mehr Geld für die Kommunen",
        "summary": (
            "Die Kommunen sollen finanziell stärker unterstützt werden. Wir begrüßen das und werben dafür, "
            "die Unterstützung dauerhaft anzulegen."
        ),
        "stance": "welcome",
        "anchor": "Kommunen sollen finanziell stärker unterstützt werden",
    },
]

# Quotes are verbatim from the seed documents; line breaks of the PDF extracts are joined with single spaces.
SOURCES = [
    {
        "key": "volksverpetzer-migrationswende",
        "kind": "article",
        "title": "Wann kommt endlich die echte Migrationswende?",
        "authors": [],
        "publisher": "Volksverpetzer",
        "published_on": date(2025, 10, 21),
        "date_precision": "day",
        "url": None,
        "doi": None,
        "quotes": [
            {
                "text": (
                    "Die Migrationswissenschaft ist sich einig: legaler Aufenthalt und realistische "
                    "Bleibeperspektiven sind die besten Instrumente einer gelungenen Migrations- und "
                    "Integrationspolitik."
                ),
                "page": None,
            },
            {
                "text": (
                    "Die Ideologisierung der Debatte in für und wider, in gut und schlecht führt nicht nur zu einer "
                    "defizitorientierten Grundstimmung, sondern auch zu einer unscharfen und eindimensionalen "
                    "Problemanalyse."
                ),
                "page": None,
            },
            {
                "text": (
                    "Drittens: eben diese Kommunen müssen nachhaltig gefördert werden – mit Geld für lokale "
                    "Integration, Schulen, Wohnungsbau, aber auch mit personellen Ressourcen für die "
                    "Ausländerbehörden."
                ),
                "page": None,
            },
            {
                "text": (
                    "Renommierte Migrationswissenschaftler:innen betonen immer wieder, dass „eine Migrationspolitik "
                    "der Härte scheitern wird“."
                ),
                "page": None,
            },
        ],
    },
    {
        "key": "resiliente-kommunen-2-0",
        "kind": "policy_brief",
        "title": "„Resiliente Kommunen 2.0“: Migration als Chance verstehen",
        "authors": ["Ratzmann, Nora", "Rißler, Felicitas", "Zeković, Denis"],
        "publisher": "Technische Universität Chemnitz",
        "published_on": date(2025, 11, 1),
        "date_precision": "month",
        "url": "https://doi.org/10.59350/hpz3x-qh641",
        "doi": "10.59350/hpz3x-qh641",
        "quotes": [
            {
                "text": (
                    "Dafür brauchen sie zuverlässige, dauerhafte finanzielle Unterstützung von Bund und den Ländern, "
                    "unter anderem um zuverlässige, niedrigschwellige Beratungs- und Begegnungsangebote zu erhalten, "
                    "und diese flexibel an sich verändernden Zielgruppen anpassen zu können."
                ),
                "page": None,
            },
            {
                "text": (
                    "Aus der Forschung wissen wir, dass positive Erlebnisse im Moment der Ankunft und der ersten "
                    "Zeit, sowie Kontakte zur ansässigen Bevölkerung wichtig sind. Eine offene Haltung der "
                    "Ansässigen und Begegnungen tragen positiv zur Integration bei."
                ),
                "page": None,
            },
            {
                "text": (
                    "Kommunen sollten sich deswegen innerhalb ihrer Verwaltungen stärker untereinander und mit "
                    "weiteren Akteur:innen vernetzen, um Allianzen zu schmieden und Potentiale weiter auszuschöpfen."
                ),
                "page": None,
            },
            {
                "text": (
                    "Niedrigschwellige Zugänge zu Nachbarschaftszentren, Geschäften, oder Freizeiteinrichtungen sind "
                    "ebenso zentral, da sie Gefühle der Zugehörigkeit und des Angekommen-Seins fördern. Ist das nicht "
                    "gegeben, ziehen viele Menschen auch weiter."
                ),
                "page": None,
            },
        ],
    },
    {
        "key": "positionspapier-raeumliche-migration",
        "kind": "position_paper",
        "title": (
            "Handlungsorientiertes Positionspapier des Arbeitskreises "
            "„Räumliche Auswirkungen internationaler Migration“"
        ),
        "authors": [],
        "publisher": None,
        "published_on": None,
        "date_precision": None,
        "url": None,
        "doi": None,
        "quotes": [
            {
                "text": "Integration als ganzheitliche und an Diversität orientierte Aufgabe betrachten!",
                "page": None,
            },
            {
                "text": "eine zügige nachvollziehbare Anerkennung ausländischer Qualifikationen und Bildungsabschlüsse",
                "page": None,
            },
            {
                "text": (
                    "Derartige „Ankunftsquartiere“ zeichnen sich zwar durch eine hohe Fluktuation der Bevölkerung "
                    "aus, dies kann jedoch nicht per se negativ konnotiert werden"
                ),
                "page": None,
            },
            {
                "text": (
                    "Zunehmend wird „Integration“ daher nicht mehr als einseitige, von den Migrant(inn)en zu "
                    "erbringende kulturelle Anpassungsleistung verstanden, sondern als Teilhabeanspruch in "
                    "verschiedenen Lebensbereichen."
                ),
                "page": None,
            },
        ],
    },
    {
        "key": "dezim-chancen-statt-krise",
        "kind": "study",
        "title": "Migration als Chance für resiliente Kommunen",
        "authors": [],
        "publisher": "Deutsches Zentrum für Integrations- und Migrationsforschung (DeZIM)",
        "published_on": None,
        "date_precision": None,
        "url": None,
        "doi": None,
        "quotes": [
            {
                "text": (
                    "Gleichzeitig bietet die Migration jedoch auch Chancen: Die vielfältigen Kompetenzen der "
                    "Zugewanderten können dem Fachkräftemangel entgegenwirken und die Verwaltungen diverser und "
                    "zugänglicher gestalten."
                ),
                "page": None,
            },
            {
                "text": (
                    "Durch die Zuwanderung von Menschen mit Migrationserfahrung – verstärkt durch Krisen wie den "
                    "russischen Angriffskrieg gegen die Ukraine – stehen Kommunen unter starkem Druck. Knappheit an "
                    "Wohnraum, Kinderbetreuungsplätzen und anderen Ressourcen erschwert die Situation zusätzlich."
                ),
                "page": None,
            },
            {
                "text": (
                    "Migration ist kein Problem, sondern eine Gelegenheit zur Weiterentwicklung und zur Schaffung "
                    "eines lebendigen, vielfältigen Gemeinwesens."
                ),
                "page": None,
            },
        ],
    },
]

ARGUMENT_SET = {
    "title": "Argumente zum Leitantrag „NRW, jetzt erst gerecht“",
    "description": (
        "Briefabsätze zu den migrationspolitischen Kernpunkten des Leitantrags der NRW-SPD: Kritik an "
        "Zentralisierung, Abschiebungsfokus und Meldepflichten, Zustimmung zu Sprachförderung, Anerkennung "
        "von Berufsabschlüssen und mehr Geld für die Kommunen. Jeder Absatz stützt sich auf eine der "
        "hinterlegten Quellen."
    ),
}

ARGUMENTS = [
    {
        "key": "querschnittsaufgabe-statt-innenressort",
        "claim": "Integration ist eine ressortübergreifende Querschnittsaufgabe und gehört nicht ins Innenministerium.",
        "paragraph": (
            "Die geplante Bündelung von Ausländerrecht, Rückkehrmanagement und Unterbringung im Innenministerium "
            "ist der falsche Weg. Das handlungsorientierte Positionspapier des Arbeitskreises "
            "„Räumliche Auswirkungen internationaler Migration“ fordert, Integration als ganzheitliche und an "
            "Diversität orientierte Aufgabe zu betrachten, in der Sozial-, Bildungs- und Stadtentwicklungspolitik "
            "zusammenwirken. Eine Zuständigkeit im Innenressort rückt dagegen Kontrolle und Sicherheit in den "
            "Vordergrund. Bitte setzen Sie sich für eine Zuordnung ein, die Integration, Arbeit, Soziales und "
            "Kommunalentwicklung zusammendenkt."
        ),
        "tags": ["integration", "verwaltung"],
        "stance": "oppose",
        "provisions": ["innenministerium"],
        "citations": [{"source": "positionspapier-raeumliche-migration", "quote": 0, "page": None}],
    },
    {
        "key": "mittel-fuer-integration-statt-umbau",
        "claim": "Das Geld für den Umbau der Zuständigkeiten fehlt dort, wo Integration tatsächlich stattfindet.",
        "paragraph": (
            "Die organisatorische Neuordnung würde neue Zuständigkeiten, Umstrukturierungen von Behörden und "
            "Personalverlagerungen erfordern und damit Geld und Arbeitskraft binden. Diese Ressourcen werden an "
            "anderer Stelle dringend gebraucht: Die Analyse „Wann kommt endlich die echte Migrationswende?“ "
            "(Volksverpetzer, Oktober 2025) fordert, die Kommunen nachhaltig zu fördern – mit Geld für lokale "
            "Integration, Schulen und Wohnungsbau, aber auch mit Personal für die Ausländerbehörden. Auch der "
            "Policy Brief „Resiliente Kommunen 2.0“ der TU Chemnitz betont, dass Kommunen verlässliche Mittel für "
            "Beratungs- und Begegnungsangebote brauchen. Bitte lenken Sie die Mittel dorthin statt in einen "
            "Umbau der Ministerien."
        ),
        "tags": ["kosten", "verwaltung", "kommunal"],
        "stance": "oppose",
        "provisions": ["innenministerium"],
        "citations": [
            {"source": "volksverpetzer-migrationswende", "quote": 2, "page": None},
            {"source": "resiliente-kommunen-2-0", "quote": None, "page": None},
        ],
    },
    {
        "key": "abschiebungen-realitaetsfern",
        "claim": "Abschiebungen ganz zur Landesaufgabe zu machen, ist realitätsfern; Bleibeperspektiven wirken besser.",
        "paragraph": (
            "Der Anspruch, Abschiebungen nach der Landtagswahl 2027 vollständig zur Aufgabe des Landes zu machen, "
            "ist realitätsfern. Wie die Analyse „Wann kommt endlich die echte Migrationswende?“ "
            "(Volksverpetzer, Oktober 2025) erläutert, ist eine Ausreise oder Abschiebung aus praktischen Gründen "
            "oft nicht möglich; viele Menschen leben deshalb jahrelang mit einer Duldung und eingeschränkten "
            "Rechten. Nach derselben Analyse ist sich die Migrationswissenschaft einig, dass legaler Aufenthalt und "
            "realistische Bleibeperspektiven die besten Instrumente einer gelungenen Migrations- und "
            "Integrationspolitik sind. Bitte setzen Sie sich deshalb für Wege aus der langjährigen Duldung ein "
            "statt für eine neue Abschiebezuständigkeit des Landes."
        ),
        "tags": ["rechtsstaat", "bleibeperspektive"],
        "stance": "oppose",
        "provisions": ["abschiebungen-land"],
        "citations": [{"source": "volksverpetzer-migrationswende", "quote": 0, "page": None}],
    },
    {
        "key": "politik-der-haerte-scheitert",
        "claim": "Eine Migrationspolitik der Härte bringt keine Erfolge; die SPD sollte eigene Antworten formulieren.",
        "paragraph": (
            "Seit Jahren wird in der Migrationspolitik auf immer mehr Härte gesetzt, ohne dass sich die "
            "versprochenen Erfolge einstellen. Die Analyse „Wann kommt endlich die echte Migrationswende?“ "
            "(Volksverpetzer, Oktober 2025) verweist darauf, dass renommierte Migrationswissenschaftler:innen immer "
            "wieder betonen, dass „eine Migrationspolitik der Härte scheitern wird“. Sie bezeichnet es zudem als "
            "Irrglauben, dass Verschärfungen in der Asylgesetzgebung die AfD eindämmen. Statt auf Abschiebungen, "
            "Kontrolle und Meldepflichten zu setzen, sollte die NRW-SPD eigene, menschenrechtsbasierte und "
            "solidarische Antworten formulieren."
        ),
        "tags": ["rechtsstaat", "diskurs"],
        "stance": "oppose",
        "provisions": ["abschiebungen-land", "meldepflichten"],
        "citations": [{"source": "volksverpetzer-migrationswende", "quote": 3, "page": None}],
    },
    {
        "key": "dezentral-verteilen",
        "claim": "Aufnahme und Integration gelingen in den Kommunen, nicht in immer größeren Landeseinrichtungen.",
        "paragraph": (
            "Der Ausbau der Landeseinrichtungen auf mindestens 70.000 Plätze gibt Anlass zu großer Sorge. Wie die "
            "Analyse „Wann kommt endlich die echte Migrationswende?“ (Volksverpetzer, Oktober 2025) betont, sind "
            "es letztlich die Gemeinden, die für Aufnahme, Versorgung und Integration von Asylsuchenden zuständig "
            "sind; Nordrhein-Westfalen nimmt nach dem Königsteiner Schlüssel derzeit über 21 Prozent aller "
            "Asylsuchenden auf. Gerade deshalb braucht es eine Verteilung, die auch darauf achtet, ob Kommune und "
            "Schutzsuchende zusammenpassen – die Analyse stellt dafür das Matching-Verfahren Match’in vor, in das "
            "bereits Pilotkommunen einbezogen waren. Landesmittel wären in einer solchen dezentralen, kommunal "
            "getragenen Aufnahme besser eingesetzt als in zusätzlichen zentralen Plätzen."
        ),
        "tags": ["unterbringung", "kommunal"],
        "stance": "oppose",
        "provisions": ["landeseinrichtungen-70000"],
        "citations": [{"source": "volksverpetzer-migrationswende", "quote": None, "page": None}],
    },
    {
        "key": "ankunftsquartiere-staerken",
        "claim": "Ankunftsquartiere leisten für die Integration, was zentrale Landeseinrichtungen nicht leisten.",
        "paragraph": (
            "Integration beginnt in der Nachbarschaft. Das handlungsorientierte Positionspapier des Arbeitskreises "
            "„Räumliche Auswirkungen internationaler Migration“ beschreibt, dass durch Migration geprägte Quartiere "
            "mit ihren Netzwerken für neu Zugewanderte eine wichtige Aufnahme- und Integrationsfunktion übernehmen "
            "und Ankunft und Orientierung erleichtern. Es empfiehlt ausdrücklich, die Bedeutung solcher "
            "„Ankunftsquartiere“ anzuerkennen und zu stärken. Zentrale Landeseinrichtungen, in denen Menschen über "
            "lange Zeit verbleiben, können diese Funktion nicht erfüllen."
        ),
        "tags": ["unterbringung", "integration", "kommunal"],
        "stance": "oppose",
        "provisions": ["landeseinrichtungen-70000", "ohne-bleibeperspektive"],
        "citations": [{"source": "positionspapier-raeumliche-migration", "quote": 2, "page": None}],
    },
    {
        "key": "meldepflichten-vertrauen",
        "claim": "Strikte Meldepflichten setzen auf Kontrolle, wo Integration positive Ankunftserfahrungen braucht.",
        "paragraph": (
            "Strikte Meldepflichten setzen auf Kontrolle statt auf Vertrauen. Der Policy Brief „Resiliente "
            "Kommunen 2.0“ von Ratzmann, Rißler und Zeković (TU Chemnitz, November 2025) hält fest, dass positive "
            "Erlebnisse im Moment der Ankunft und Kontakte zur ansässigen Bevölkerung für die Integration wichtig "
            "sind. Ein engmaschiges Meldesystem sendet das gegenteilige Signal und bindet Personal, das für "
            "Beratung und Begleitung gebraucht wird. Bitte verzichten Sie im Antrag auf zusätzliche Meldepflichten "
            "und setzen Sie stattdessen auf Beratung und Begegnung vor Ort."
        ),
        "tags": ["integration", "rechtsstaat"],
        "stance": "oppose",
        "provisions": ["meldepflichten"],
        "citations": [{"source": "resiliente-kommunen-2-0", "quote": 1, "page": None}],
    },
    {
        "key": "perspektivlosigkeit-verhindern",
        "claim": "Dauerhafte zentrale Unterbringung „ohne Bleibeperspektive“ schafft nur Perspektivlosigkeit.",
        "paragraph": (
            "Menschen „ohne Bleibeperspektive“ dauerhaft in zentralen Unterkünften unterzubringen, schafft "
            "Perspektivlosigkeit, aber keine Lösung. Der Policy Brief „Resiliente Kommunen 2.0“ (TU Chemnitz, "
            "November 2025) hebt hervor, dass niedrigschwellige Zugänge zu Nachbarschaftszentren, Geschäften oder "
            "Freizeiteinrichtungen Gefühle der Zugehörigkeit und des Angekommen-Seins fördern – genau davon wären "
            "die Betroffenen abgeschnitten. Zudem erinnert die Analyse „Wann kommt endlich die echte "
            "Migrationswende?“ (Volksverpetzer, Oktober 2025) daran, dass viele Menschen mit einer Duldung aus "
            "praktischen Gründen jahrelang in Deutschland leben. Eine frühe Einstufung darf deshalb nicht über "
            "Jahre hinweg über Bildung, Arbeit und Teilhabe entscheiden."
        ),
        "tags": ["unterbringung", "integration", "teilhabe"],
        "stance": "oppose",
        "provisions": ["ohne-bleibeperspektive"],
        "citations": [
            {"source": "resiliente-kommunen-2-0", "quote": 3, "page": None},
            {"source": "volksverpetzer-migrationswende", "quote": None, "page": None},
        ],
    },
    {
        "key": "teilhabe-statt-ausschluss",
        "claim": "Integration ist ein Teilhabeanspruch, der nicht durch pauschale Einstufungen verwehrt werden darf.",
        "paragraph": (
            "Rechtsstaatlichkeit bedeutet, dass über Schutz im Einzelfall entschieden wird. Die Analyse "
            "„Wann kommt endlich die echte Migrationswende?“ (Volksverpetzer, Oktober 2025) hält als ersten "
            "Knackpunkt fest, dass das individuelle Asylrecht nicht angetastet werden darf. Das "
            "handlungsorientierte Positionspapier des Arbeitskreises „Räumliche Auswirkungen internationaler "
            "Migration“ beschreibt Integration zudem nicht als einseitige Anpassungsleistung, sondern als "
            "Teilhabeanspruch in verschiedenen Lebensbereichen. Pauschale Zuschreibungen wie „ohne "
            "Bleibeperspektive“ dürfen deshalb nicht dazu führen, dass Menschen vorab von Integrationsangeboten "
            "ausgeschlossen werden."
        ),
        "tags": ["rechtsstaat", "teilhabe"],
        "stance": "oppose",
        "provisions": ["ohne-bleibeperspektive", "abschiebungen-land"],
        "citations": [
            {"source": "volksverpetzer-migrationswende", "quote": None, "page": None},
            {"source": "positionspapier-raeumliche-migration", "quote": 3, "page": None},
        ],
    },
    {
        "key": "sprachfoerderung-im-alltag",
        "claim": "Der Ausbau der Sprachförderung ist richtig und wirkt am besten dort, wo Menschen im Alltag leben.",
        "paragraph": (
            "Der Ausbau der Sprachförderung ist ausdrücklich zu begrüßen. Damit er wirkt, muss Sprache früh und im "
            "Alltag gelernt werden können: Das handlungsorientierte Positionspapier des Arbeitskreises „Räumliche "
            "Auswirkungen internationaler Migration“ weist darauf hin, dass Kontakte über das eigene Quartier "
            "hinaus den Erwerb der Sprache des Aufnahmelandes unterstützen können, und empfiehlt, sprachliche "
            "Kompetenzen über alle schulischen Übergänge hinweg zu stärken. Sprachförderung entfaltet ihre Wirkung "
            "deshalb am besten dort, wo Menschen wohnen, lernen und arbeiten. Bitte stärken Sie diesen Teil des "
            "Antrags und entwerten Sie ihn nicht durch lange Aufenthalte in zentralen Einrichtungen."
        ),
        "tags": ["integration", "sprache", "bildung"],
        "stance": "welcome",
        "provisions": ["sprachfoerderung"],
        "citations": [{"source": "positionspapier-raeumliche-migration", "quote": None, "page": None}],
    },
    {
        "key": "anerkennung-zuegig",
        "claim": "Die schnellere Anerkennung von Berufsabschlüssen ist überfällig und sollte konkret unterlegt werden.",
        "paragraph": (
            "Die schnellere Anerkennung von Berufsabschlüssen ist ein richtiger und überfälliger Schritt. Das "
            "handlungsorientierte Positionspapier des Arbeitskreises „Räumliche Auswirkungen internationaler "
            "Migration“ nennt „eine zügige nachvollziehbare Anerkennung ausländischer Qualifikationen und "
            "Bildungsabschlüsse“ als Voraussetzung dafür, Zuwanderung attraktiver zu gestalten, und empfiehlt "
            "verständliche Informationen über deutsche Bildungs- und Berufssysteme. Wie das DeZIM festhält, können "
            "die vielfältigen Kompetenzen der Zugewanderten dem Fachkräftemangel entgegenwirken. Bitte unterlegen "
            "Sie diesen Punkt im Antrag mit konkreten Schritten und Beratungsangeboten."
        ),
        "tags": ["arbeitsmarkt", "anerkennung"],
        "stance": "welcome",
        "provisions": ["anerkennung-berufsabschluesse"],
        "citations": [
            {"source": "positionspapier-raeumliche-migration", "quote": 1, "page": None},
            {"source": "dezim-chancen-statt-krise", "quote": 0, "page": None},
        ],
    },
    {
        "key": "fachkraefte-potenzial",
        "claim": "Wer Menschen lange zentral unterbringt, verschenkt ihr Potenzial gegen den Fachkräftemangel.",
        "paragraph": (
            "Zuwanderung ist auch eine Chance für den Arbeitsmarkt. Das DeZIM betont in seinem Bericht „Chancen statt "
            "‚Krise‘“, für den es gemeinsam mit elf Kommunen Handlungsempfehlungen entwickelt hat, dass die "
            "vielfältigen Kompetenzen der "
            "Zugewanderten dem Fachkräftemangel entgegenwirken und die Verwaltungen diverser und zugänglicher "
            "machen können. Auch die Analyse „Wann kommt endlich die echte Migrationswende?“ (Volksverpetzer, "
            "Oktober 2025) hält fest, dass Asylsuchende in großer Mehrheit ihren Platz im Arbeitsmarkt finden. Wer "
            "Menschen über lange Zeit in zentralen Einrichtungen unterbringt, lässt dieses Potenzial ungenutzt."
        ),
        "tags": ["arbeitsmarkt", "integration"],
        "stance": "oppose",
        "provisions": ["ohne-bleibeperspektive", "landeseinrichtungen-70000"],
        "citations": [
            {"source": "dezim-chancen-statt-krise", "quote": 0, "page": None},
            {"source": "volksverpetzer-migrationswende", "quote": None, "page": None},
        ],
    },
    {
        "key": "kommunen-dauerhaft-finanzieren",
        "claim": "Mehr Geld für die Kommunen ist richtig, muss aber verlässlich und dauerhaft fließen.",
        "paragraph": (
            "Die stärkere finanzielle Unterstützung der Kommunen ist richtig. Entscheidend ist, dass sie "
            "verlässlich und dauerhaft angelegt ist: Der Policy Brief „Resiliente Kommunen 2.0“ von Ratzmann, "
            "Rißler und Zeković (TU Chemnitz, November 2025) empfiehlt eine langfristige finanzielle Unterstützung "
            "von Bund und Ländern, damit niedrigschwellige Beratungs- und Begegnungsangebote erhalten und flexibel "
            "an sich verändernde Zielgruppen angepasst werden können. Der Policy Brief beschreibt zugleich, dass "
            "solche Angebote wegen des starken Arbeitsmarktfokus von Landes- und Bundesprogrammen immer schwerer zu "
            "finanzieren sind. Bitte schreiben Sie im Antrag eine dauerhafte Finanzierung fest, die diese "
            "Angebote ausdrücklich einschließt."
        ),
        "tags": ["kommunal", "kosten"],
        "stance": "welcome",
        "provisions": ["kommunen-finanzen"],
        "citations": [{"source": "resiliente-kommunen-2-0", "quote": 0, "page": None}],
    },
    {
        "key": "daseinsvorsorge-fuer-alle",
        "claim": "Investitionen in die kommunale Daseinsvorsorge kommen allen Menschen vor Ort zugute.",
        "paragraph": (
            "Zusätzliches Geld für die Kommunen kommt allen Menschen vor Ort zugute. Das DeZIM beschreibt in seinem "
            "Bericht „Chancen statt ‚Krise‘“, dass Kommunen unter starkem Druck stehen und die Knappheit an "
            "Wohnraum, Kinderbetreuungsplätzen und anderen Ressourcen die Lage zusätzlich erschwert. Der Policy "
            "Brief „Resiliente Kommunen 2.0“ (TU Chemnitz, November 2025) ergänzt, dass Migration hier wie ein "
            "Brennglas auf eine unterfinanzierte öffentliche Daseinsvorsorge wirkt; wo Ressourcen schwinden, "
            "entsteht der Eindruck, es reiche nicht für alle, und das kann populistisch genutzt werden. "
            "Investitionen in Wohnraum, Kitaplätze und Beratung sind deshalb die beste Antwort auf diese Sorge."
        ),
        "tags": ["kommunal", "wohnen", "kosten"],
        "stance": "welcome",
        "provisions": ["kommunen-finanzen"],
        "citations": [
            {"source": "dezim-chancen-statt-krise", "quote": 1, "page": None},
            {"source": "resiliente-kommunen-2-0", "quote": None, "page": None},
        ],
    },
    {
        "key": "kommunen-vernetzen",
        "claim": "Das Land sollte neben Geld auch die Vernetzung der kommunalen Integrationsarbeit fördern.",
        "paragraph": (
            "Neben Geld brauchen die Kommunen Strukturen, um voneinander zu lernen. Der Policy Brief „Resiliente "
            "Kommunen 2.0“ (TU Chemnitz, November 2025) empfiehlt, dass Kommunen sich innerhalb ihrer Verwaltungen "
            "stärker untereinander und mit weiteren Akteur:innen vernetzen, um Allianzen zu schmieden; eine solche "
            "„community of practice“ schaffe Rückhalt unter Gleichgesinnten. Bitte ergänzen Sie den Antrag um eine "
            "Landesförderung für diese Vernetzung der kommunalen Integrationsarbeit. So würde die "
            "zugesagte Unterstützung der Kommunen nachhaltiger wirken."
        ),
        "tags": ["kommunal", "vernetzung"],
        "stance": "amend",
        "provisions": ["kommunen-finanzen"],
        "citations": [{"source": "resiliente-kommunen-2-0", "quote": 2, "page": None}],
    },
    {
        "key": "differenzierte-debatte",
        "claim": "Der Antrag verstärkt eine defizitorientierte Debatte, vor der auch Stimmen aus der NRW-SPD warnen.",
        "paragraph": (
            "Auch in der SPD in Nordrhein-Westfalen gibt es Stimmen, die vor einer verkürzten Migrationsdebatte "
            "warnen. Landrat Ali Doğan (SPD, Kreis Minden-Lübbecke) wird in der Analyse „Wann kommt endlich die "
            "echte Migrationswende?“ (Volksverpetzer, Oktober 2025) mit der Einschätzung zitiert, die "
            "Ideologisierung der Debatte führe zu einer defizitorientierten Grundstimmung und einer unscharfen, "
            "eindimensionalen Problemanalyse. Der Policy Brief „Resiliente Kommunen 2.0“ (TU Chemnitz, November "
            "2025) empfiehlt entsprechend eine Hinwendung zu einem positiven Integrationsdiskurs. Ein Leitantrag, "
            "der Migration vor allem über das Innenressort und Meldepflichten ordnet, verstärkt dagegen genau diese "
            "Defizitperspektive."
        ),
        "tags": ["diskurs", "integration"],
        "stance": "oppose",
        "provisions": ["innenministerium", "meldepflichten"],
        "citations": [
            {"source": "volksverpetzer-migrationswende", "quote": 1, "page": None},
            {"source": "resiliente-kommunen-2-0", "quote": None, "page": None},
        ],
    },
]

TEMPLATE = {
    "name": "Musterbrief an SPD-Mitglieder",
    "subject": "Leitantrag „NRW, jetzt erst gerecht“ – dringender Änderungsbedarf",
    "body": (
        "{{ salutation }},\n"
        "\n"
        "mit großer Sorge haben wir den vom {{ motion.body }} am {{ motion.presented_on }} vorgestellten "
        "Leitantrag „{{ motion.title }}“ zur Kenntnis genommen. Als zivilgesellschaftliche Initiative, die sich "
        "für die Rechte von Schutzsuchenden, für Integration und gesellschaftlichen Zusammenhalt in "
        "Nordrhein-Westfalen einsetzt, sehen wir darin einen migrationspolitischen Kurswechsel, der zentrale "
        "humanitäre und rechtsstaatliche Prinzipien infrage stellt.\n"
        "\n"
        "Der Antrag verbindet sprachliche Bekenntnisse zu Gerechtigkeit, Integration und Zusammenhalt mit einer "
        "inhaltlichen Schwerpunktsetzung auf Abschiebungen, Kontrolle und Abschreckung. Besonders problematisch "
        "ist die geplante Bündelung von Ausländerrecht, Rückkehrmanagement und Unterbringung im Innenministerium. "
        "Diese Verlagerung stellt einen deutlichen Rückschritt dar: Migration würde damit erneut primär als "
        "sicherheitspolitisches Thema behandelt, anstatt als Querschnittsaufgabe von Integration, Sozialpolitik, "
        "Arbeitsmarkt und Kommunalentwicklung.\n"
        "\n"
        "Zudem wäre diese organisatorische Neuordnung mit erheblichem zusätzlichem Verwaltungsaufwand und "
        "vermeidbaren Kosten verbunden. Der Aufbau neuer Zuständigkeiten, Umstrukturierungen von Behörden und "
        "Personalverlagerungen würden Ressourcen binden, die stattdessen effektiv für Integration, Beratung, "
        "Sprachförderung und kommunale Unterstützung eingesetzt werden können.\n"
        "\n"
        "Der im Leitantrag formulierte Anspruch, Abschiebungen im Falle einer Regierungsbeteiligung nach der "
        "Landtagswahl 2027 vollständig zur Aufgabe des Landes zu machen, erscheint zudem realitätsfern. In "
        "Verbindung mit dem vorgesehenen massiven Ausbau von Landeseinrichtungen auf mindestens 70.000 Plätze, "
        "strikten Meldepflichten und dem dauerhaften Verbleib von Menschen „ohne Bleibeperspektive“ in zentralen "
        "Unterkünften droht eine Politik der Isolation. Diese Maßnahmen erschweren Integration, belasten die "
        "Betroffenen erheblich und stehen einer dezentralen, kommunal getragenen Unterbringung entgegen.\n"
        "\n"
        "Wir begrüßen ausdrücklich einzelne im Antrag genannte Ansätze wie den Ausbau der Sprachförderung, die "
        "schnellere Anerkennung von Berufsabschlüssen und eine stärkere finanzielle Unterstützung der Kommunen. "
        "Diese Maßnahmen verlieren jedoch ihre Wirkung, wenn gleichzeitig große Gruppen von Schutzsuchenden "
        "systematisch vom gesellschaftlichen Alltag ausgeschlossen werden. Integration kann nicht gelingen, wenn "
        "Menschen über lange Zeiträume in zentralen Einrichtungen verbleiben und von Bildung, Arbeit und sozialer "
        "Teilhabe abgeschnitten sind.\n"
        "\n"
        "Eine sozialdemokratische Partei sollte sich, insbesondere auch im Hinblick auf die im nächsten Jahr "
        "anstehende Landtagswahl, nicht an einer Politik orientieren, die ausgrenzende und vereinfachende "
        "Deutungsmuster reproduziert, sondern eigene, klar menschenrechtsbasierte und solidarische Antworten "
        "formulieren. Eine sozial gerechte Migrationspolitik muss sich daran messen lassen, ob sie "
        "Menschenrechte wahrt, Rechtsstaatlichkeit stärkt und echte Teilhabe ermöglicht. Aus unserer Sicht "
        "bleibt der Leitantrag schuldig, wie diese Ziele mit den vorgeschlagenen Verschärfungen in Einklang "
        "gebracht werden sollen.\n"
        "\n"
        "{% if arguments %}Zu den einzelnen Punkten des Leitantrags möchten wir Ihnen Folgendes zu bedenken "
        "geben:\n"
        "\n"
        "{% for argument in arguments %}{{ argument.paragraph }} {{ argument.notes }}\n"
        "\n"
        "{% endfor %}{% endif %}"
        "Wir appellieren daher ausdrücklich an Sie, darauf hinzuwirken, den Leitantrag in seiner derzeitigen "
        "Form nicht zu beschließen, sondern ihn grundlegend zu überarbeiten. Erforderlich ist eine klare "
        "Korrektur hin zu einer Migrationspolitik, die auf Dezentralisierung, frühzeitige Integration, "
        "Rechtssicherheit und kommunale Stärkung setzt – statt auf Abschreckung, Zentralisierung und dauerhafte "
        "Perspektivlosigkeit für Schutzsuchende.\n"
        "\n"
        "{% if deadline %}Über eine Antwort bis zum {{ deadline }} würden wir uns sehr freuen.{% endif %}\n"
    ),
}

# The arguments every letter of the demo campaign uses, in letter order, and one targeting rule: recipients in
# local politics also get the arguments on decentralised, municipal accommodation.
ARGUMENT_SELECTION = {
    "chosen": [
        "querschnittsaufgabe-statt-innenressort",
        "abschiebungen-realitaetsfern",
        "meldepflichten-vertrauen",
        "anerkennung-zuegig",
    ],
    "rules": [{"recipient_tag": "kommunalpolitik", "argument_tag": "unterbringung"}],
}

CAMPAIGN = {
    "slug": "nrw-jetzt-erst-gerecht",
    "title": "Leitantrag „NRW, jetzt erst gerecht“ überarbeiten",
    "summary": (
        "Der Landesvorstand der NRW-SPD hat am 26. Januar 2026 den Leitantrag „NRW, jetzt erst gerecht“ "
        "vorgestellt. Er setzt migrationspolitisch auf Abschiebungen, zentrale Landeseinrichtungen und strikte "
        "Meldepflichten. Mit einem offenen Brief bitten wir Delegierte, Abgeordnete und Mitglieder der SPD, den "
        "Antrag nicht in dieser Form zu beschließen, sondern ihn hin zu Dezentralisierung, frühzeitiger "
        "Integration, Rechtssicherheit und starken Kommunen zu überarbeiten."
    ),
    "deadline": date(2026, 12, 15),
    "goal_signatures": 500,
    "open_letter": True,
    "public_responses": True,
    # E-mail to those with an address, a printed letter to the others.
    "channels": "both",
}

RECIPIENTS = [
    {
        "form_of_address": "frau",
        "title": "",
        "first_name": "Ayşe",
        "last_name": "Karadağ",
        "group_name": "",
        "function": "Delegierte zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Köln",
        "unterbezirk": "Köln",
        "kreis": "Köln",
        "wahlkreis": "",
        "kommune": "Köln",
        "street": "Fliederhofweg 14",
        "postcode": "50823",
        "city": "Köln",
        "email": "ayse.karadag@example.org",
        "tags": ["delegierte", "kommunalpolitik"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "herr",
        "title": "Dr.",
        "first_name": "Paweł",
        "last_name": "Kowalczyk",
        "group_name": "",
        "function": "Delegierter zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Dortmund",
        "unterbezirk": "Dortmund",
        "kreis": "Dortmund",
        "wahlkreis": "",
        "kommune": "Dortmund",
        "street": "Zechenbahnweg 3a",
        "postcode": "44137",
        "city": "Dortmund",
        "email": "pawel.kowalczyk@example.org",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "frau",
        "title": "",
        "first_name": "Ana",
        "last_name": "Ćosić",
        "group_name": "",
        "function": "Delegierte zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Duisburg",
        "unterbezirk": "Duisburg",
        "kreis": "Duisburg",
        "wahlkreis": "",
        "kommune": "Duisburg",
        "street": "Hafenkranstraße 21",
        "postcode": "47057",
        "city": "Duisburg",
        "email": "ana.cosic@example.org",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "frau",
        "title": "",
        "first_name": "Renée",
        "last_name": "Vasseur-Lindner",
        "group_name": "",
        "function": "Delegierte zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Aachen",
        "unterbezirk": "Aachen",
        "kreis": "Städteregion Aachen",
        "wahlkreis": "",
        "kommune": "Aachen",
        "street": "Printenbäckerweg 8",
        "postcode": "52064",
        "city": "Aachen",
        "email": "renee.vasseur-lindner@example.org",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "frau",
        "title": "Dr.",
        "first_name": "Begoña",
        "last_name": "Ibáñez",
        "group_name": "",
        "function": "Delegierte zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Düsseldorf",
        "unterbezirk": "Düsseldorf",
        "kreis": "Düsseldorf",
        "wahlkreis": "",
        "kommune": "Düsseldorf",
        "street": "Rheinkieselweg 5",
        "postcode": "40215",
        "city": "Düsseldorf",
        "email": "begona.ibanez@example.org",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "herr",
        "title": "",
        "first_name": "Jonas",
        "last_name": "Wiechert",
        "group_name": "",
        "function": "Delegierter zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Essen",
        "unterbezirk": "Essen",
        "kreis": "Essen",
        "wahlkreis": "",
        "kommune": "Essen",
        "street": "Grubenlampenweg 11",
        "postcode": "45138",
        "city": "Essen",
        "email": "",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "divers",
        "title": "",
        "first_name": "Kim",
        "last_name": "Brandstätter",
        "group_name": "",
        "function": "Delegierte*r zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Bielefeld",
        "unterbezirk": "Bielefeld",
        "kreis": "Bielefeld",
        "wahlkreis": "",
        "kommune": "Bielefeld",
        "street": "Leineweberhof 2",
        "postcode": "33602",
        "city": "Bielefeld",
        "email": "kim.brandstaetter@example.org",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "unbekannt",
        "title": "",
        "first_name": "Sascha",
        "last_name": "Overbeck",
        "group_name": "",
        "function": "Delegierte*r zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Münster",
        "unterbezirk": "Münster",
        "kreis": "Münster",
        "wahlkreis": "",
        "kommune": "Münster",
        "street": "Promenadenbogen 19",
        "postcode": "48149",
        "city": "Münster",
        "email": "sascha.overbeck@example.org",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "herr",
        "title": "",
        "first_name": "Şükrü",
        "last_name": "Aydemir",
        "group_name": "",
        "function": "Delegierter zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Gelsenkirchen",
        "unterbezirk": "Gelsenkirchen",
        "kreis": "Gelsenkirchen",
        "wahlkreis": "",
        "kommune": "Gelsenkirchen",
        "street": "Kokereistraße 40",
        "postcode": "45879",
        "city": "Gelsenkirchen",
        "email": "sukru.aydemir@example.org",
        "tags": ["delegierte", "kommunalpolitik"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "frau",
        "title": "Prof. Dr.",
        "first_name": "Henrike",
        "last_name": "Altmeppen",
        "group_name": "",
        "function": "Delegierte zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Münster",
        "unterbezirk": "Münster",
        "kreis": "Münster",
        "wahlkreis": "",
        "kommune": "Münster",
        "street": "Domherrengasse 6",
        "postcode": "48143",
        "city": "Münster",
        "email": "henrike.altmeppen@example.org",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "herr",
        "title": "",
        "first_name": "Matthias",
        "last_name": "Großkemper",
        "group_name": "",
        "function": "Delegierter zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Bochum",
        "unterbezirk": "Bochum",
        "kreis": "Bochum",
        "wahlkreis": "",
        "kommune": "Bochum",
        "street": "Förderturmweg 27",
        "postcode": "44791",
        "city": "Bochum",
        "email": "matthias.grosskemper@example.org",
        "tags": ["delegierte", "kommunalpolitik"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "frau",
        "title": "",
        "first_name": "Leonie",
        "last_name": "Schäfer-Okafor",
        "group_name": "",
        "function": "Delegierte zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Köln",
        "unterbezirk": "Köln",
        "kreis": "Köln",
        "wahlkreis": "",
        "kommune": "Köln",
        "street": "Auenkamp 9",
        "postcode": "51063",
        "city": "Köln",
        "email": "leonie.schaefer-okafor@example.org",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "divers",
        "title": "",
        "first_name": "Luca",
        "last_name": "Sommerfeld",
        "group_name": "",
        "function": "Delegierte*r zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Dortmund",
        "unterbezirk": "Dortmund",
        "kreis": "Dortmund",
        "wahlkreis": "",
        "kommune": "Dortmund",
        "street": "Hochofenpfad 15",
        "postcode": "44147",
        "city": "Dortmund",
        "email": "luca.sommerfeld@example.org",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "unbekannt",
        "title": "",
        "first_name": "Toni",
        "last_name": "Marquardt-Öztürk",
        "group_name": "",
        "function": "Delegierte*r zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Duisburg",
        "unterbezirk": "Duisburg",
        "kreis": "Duisburg",
        "wahlkreis": "",
        "kommune": "Duisburg",
        "street": "Schleusenwärterweg 4",
        "postcode": "47119",
        "city": "Duisburg",
        "email": "",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "herr",
        "title": "",
        "first_name": "Emre",
        "last_name": "Yıldırım",
        "group_name": "",
        "function": "Delegierter zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Essen",
        "unterbezirk": "Essen",
        "kreis": "Essen",
        "wahlkreis": "",
        "kommune": "Essen",
        "street": "Schachtmeisterweg 12",
        "postcode": "45147",
        "city": "Essen",
        "email": "emre.yildirim@example.org",
        "tags": ["delegierte"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "frau",
        "title": "",
        "first_name": "Marlene",
        "last_name": "Hüsing",
        "group_name": "",
        "function": "Delegierte zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Rhein-Sieg",
        "unterbezirk": "Rhein-Sieg",
        "kreis": "Rhein-Sieg-Kreis",
        "wahlkreis": "",
        "kommune": "Siegburg",
        "street": "Abteiblick 3",
        "postcode": "53721",
        "city": "Siegburg",
        "email": "marlene.huesing@example.org",
        "tags": ["delegierte", "kommunalpolitik"],
        "lists": ["Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "frau",
        "title": "Dr.",
        "first_name": "Sabine",
        "last_name": "Ellerkamp",
        "group_name": "",
        "function": "Mitglied des Landtags (MdL)",
        "organisation": "SPD-Landtagsfraktion NRW",
        "unterbezirk": "Köln",
        "kreis": "Köln",
        "wahlkreis": "Köln II",
        "kommune": "Köln",
        "street": "Lindenhainweg 22",
        "postcode": "50937",
        "city": "Köln",
        "email": "sabine.ellerkamp@example.org",
        "tags": ["mdl"],
        "lists": ["Landtagsabgeordnete"],
    },
    {
        "form_of_address": "herr",
        "title": "",
        "first_name": "Frederik",
        "last_name": "Osterholt",
        "group_name": "",
        "function": "Mitglied des Landtags (MdL)",
        "organisation": "SPD-Landtagsfraktion NRW",
        "unterbezirk": "Dortmund",
        "kreis": "Dortmund",
        "wahlkreis": "Dortmund III",
        "kommune": "Dortmund",
        "street": "Emscherauenweg 7",
        "postcode": "44225",
        "city": "Dortmund",
        "email": "frederik.osterholt@example.org",
        "tags": ["mdl"],
        "lists": ["Landtagsabgeordnete"],
    },
    {
        "form_of_address": "frau",
        "title": "",
        "first_name": "Nilüfer",
        "last_name": "Akgül",
        "group_name": "",
        "function": "Mitglied des Landtags (MdL)",
        "organisation": "SPD-Landtagsfraktion NRW",
        "unterbezirk": "Essen",
        "kreis": "Essen",
        "wahlkreis": "Essen I",
        "kommune": "Essen",
        "street": "Salzmarktgasse 5",
        "postcode": "45127",
        "city": "Essen",
        "email": "nilufer.akgul@example.org",
        "tags": ["mdl"],
        "lists": ["Landtagsabgeordnete"],
    },
    {
        "form_of_address": "herr",
        "title": "Prof. Dr.",
        "first_name": "Bernhard",
        "last_name": "Kückelhaus",
        "group_name": "",
        "function": "Mitglied des Landtags (MdL)",
        "organisation": "SPD-Landtagsfraktion NRW",
        "unterbezirk": "Bielefeld",
        "kreis": "Bielefeld",
        "wahlkreis": "Bielefeld II",
        "kommune": "Bielefeld",
        "street": "Sparrenblickweg 18",
        "postcode": "33615",
        "city": "Bielefeld",
        "email": "bernhard.kueckelhaus@example.org",
        "tags": ["mdl"],
        "lists": ["Landtagsabgeordnete"],
    },
    {
        "form_of_address": "frau",
        "title": "",
        "first_name": "Małgorzata",
        "last_name": "Nowicka",
        "group_name": "",
        "function": "Mitglied des Landtags (MdL)",
        "organisation": "SPD-Landtagsfraktion NRW",
        "unterbezirk": "Düsseldorf",
        "kreis": "Düsseldorf",
        "wahlkreis": "Düsseldorf III",
        "kommune": "Düsseldorf",
        "street": "Gartenstadtbogen 30",
        "postcode": "40477",
        "city": "Düsseldorf",
        "email": "malgorzata.nowicka@example.org",
        "tags": ["mdl"],
        "lists": ["Landtagsabgeordnete"],
    },
    {
        "form_of_address": "herr",
        "title": "",
        "first_name": "Tobias",
        "last_name": "Rennekamp",
        "group_name": "",
        "function": "Mitglied des Landtags (MdL)",
        "organisation": "SPD-Landtagsfraktion NRW",
        "unterbezirk": "Duisburg",
        "kreis": "Duisburg",
        "wahlkreis": "Duisburg I",
        "kommune": "Duisburg",
        "street": "Innenhafenweg 2a",
        "postcode": "47051",
        "city": "Duisburg",
        "email": "tobias.rennekamp@example.org",
        "tags": ["mdl", "kommunalpolitik"],
        "lists": ["Landtagsabgeordnete"],
    },
    {
        "form_of_address": "frau",
        "title": "",
        "first_name": "Chiara",
        "last_name": "Benedetti-Kraus",
        "group_name": "",
        "function": "Mitglied des Landtags (MdL)",
        "organisation": "SPD-Landtagsfraktion NRW",
        "unterbezirk": "Aachen",
        "kreis": "Städteregion Aachen",
        "wahlkreis": "Aachen I",
        "kommune": "Aachen",
        "street": "Dombogen 4",
        "postcode": "52062",
        "city": "Aachen",
        "email": "chiara.benedetti-kraus@example.org",
        "tags": ["mdl"],
        "lists": ["Landtagsabgeordnete"],
    },
    {
        "form_of_address": "herr",
        "title": "Dr.",
        "first_name": "Hendrik",
        "last_name": "Vogelsang",
        "group_name": "",
        "function": "Mitglied des Landtags (MdL)",
        "organisation": "SPD-Landtagsfraktion NRW",
        "unterbezirk": "Münster",
        "kreis": "Münster",
        "wahlkreis": "Münster I",
        "kommune": "Münster",
        "street": "Aaseeblick 9",
        "postcode": "48153",
        "city": "Münster",
        "email": "hendrik.vogelsang@example.org",
        "tags": ["mdl"],
        "lists": ["Landtagsabgeordnete"],
    },
    {
        "form_of_address": "frau",
        "title": "",
        "first_name": "Miriam",
        "last_name": "Holtkötter",
        "group_name": "",
        "function": "Vorsitzende des Unterbezirks Köln",
        "organisation": "SPD-Unterbezirk Köln",
        "unterbezirk": "Köln",
        "kreis": "Köln",
        "wahlkreis": "",
        "kommune": "Köln",
        "street": "Rheinbogenstraße 33",
        "postcode": "51105",
        "city": "Köln",
        "email": "miriam.holtkoetter@example.org",
        "tags": ["ub-vorsitz", "delegierte", "kommunalpolitik"],
        "lists": ["Unterbezirksvorsitzende", "Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "herr",
        "title": "",
        "first_name": "Dariusz",
        "last_name": "Kamiński",
        "group_name": "",
        "function": "Vorsitzender des Unterbezirks Dortmund",
        "organisation": "SPD-Unterbezirk Dortmund",
        "unterbezirk": "Dortmund",
        "kreis": "Dortmund",
        "wahlkreis": "",
        "kommune": "Dortmund",
        "street": "Kanalhafenweg 6",
        "postcode": "44135",
        "city": "Dortmund",
        "email": "dariusz.kaminski@example.org",
        "tags": ["ub-vorsitz"],
        "lists": ["Unterbezirksvorsitzende"],
    },
    {
        "form_of_address": "frau",
        "title": "Dr.",
        "first_name": "Esra",
        "last_name": "Güler-Hoffmann",
        "group_name": "",
        "function": "Vorsitzende des Unterbezirks Essen",
        "organisation": "SPD-Unterbezirk Essen",
        "unterbezirk": "Essen",
        "kreis": "Essen",
        "wahlkreis": "",
        "kommune": "Essen",
        "street": "Zechenhausbogen 14",
        "postcode": "45130",
        "city": "Essen",
        "email": "esra.guler-hoffmann@example.org",
        "tags": ["ub-vorsitz", "delegierte"],
        "lists": ["Unterbezirksvorsitzende", "Delegierte Landesparteitag"],
    },
    {
        "form_of_address": "herr",
        "title": "",
        "first_name": "Carsten",
        "last_name": "Ebbinghaus",
        "group_name": "",
        "function": "Vorsitzender des Unterbezirks Düsseldorf",
        "organisation": "SPD-Unterbezirk Düsseldorf",
        "unterbezirk": "Düsseldorf",
        "kreis": "Düsseldorf",
        "wahlkreis": "",
        "kommune": "Düsseldorf",
        "street": "Kirschblütenweg 17",
        "postcode": "40210",
        "city": "Düsseldorf",
        "email": "",
        "tags": ["ub-vorsitz"],
        "lists": ["Unterbezirksvorsitzende"],
    },
    {
        "form_of_address": "frau",
        "title": "",
        "first_name": "Gudrun",
        "last_name": "Tenhagen",
        "group_name": "",
        "function": "Vorsitzende des Unterbezirks Bielefeld",
        "organisation": "SPD-Unterbezirk Bielefeld",
        "unterbezirk": "Bielefeld",
        "kreis": "Bielefeld",
        "wahlkreis": "",
        "kommune": "Bielefeld",
        "street": "Teutoburger Bogen 5",
        "postcode": "33604",
        "city": "Bielefeld",
        "email": "gudrun.tenhagen@example.org",
        "tags": ["ub-vorsitz", "kommunalpolitik"],
        "lists": ["Unterbezirksvorsitzende"],
    },
    {
        "form_of_address": "herr",
        "title": "",
        "first_name": "Benedikt",
        "last_name": "Hölscher",
        "group_name": "",
        "function": "Vorsitzender des Unterbezirks Münster",
        "organisation": "SPD-Unterbezirk Münster",
        "unterbezirk": "Münster",
        "kreis": "Münster",
        "wahlkreis": "",
        "kommune": "Münster",
        "street": "Kanalpromenade 21",
        "postcode": "48155",
        "city": "Münster",
        "email": "benedikt.hoelscher@example.org",
        "tags": ["ub-vorsitz"],
        "lists": ["Unterbezirksvorsitzende"],
    },
    {
        "form_of_address": "frau",
        "title": "",
        "first_name": "Hatice",
        "last_name": "Şahin",
        "group_name": "",
        "function": "Vorsitzende des Unterbezirks Aachen",
        "organisation": "SPD-Unterbezirk Aachen",
        "unterbezirk": "Aachen",
        "kreis": "Städteregion Aachen",
        "wahlkreis": "",
        "kommune": "Herzogenrath",
        "street": "Wurmtalweg 8",
        "postcode": "52134",
        "city": "Herzogenrath",
        "email": "hatice.sahin@example.org",
        "tags": ["ub-vorsitz", "kommunalpolitik"],
        "lists": ["Unterbezirksvorsitzende"],
    },
    {
        "form_of_address": "gruppe",
        "title": "",
        "first_name": "",
        "last_name": "",
        "group_name": "Mitglieder der SPD",
        "function": "",
        "organisation": "SPD-Ortsverein Bochum-Langendreer",
        "unterbezirk": "Bochum",
        "kreis": "Bochum",
        "wahlkreis": "",
        "kommune": "Bochum",
        "street": "Hellwegbogen 12",
        "postcode": "44892",
        "city": "Bochum",
        "email": "spd-ov-langendreer@example.org",
        "tags": ["mitglieder"],
        "lists": [],
    },
    {
        "form_of_address": "gruppe",
        "title": "",
        "first_name": "",
        "last_name": "",
        "group_name": "Mitglieder der SPD",
        "function": "",
        "organisation": "SPD-Unterbezirk Gelsenkirchen",
        "unterbezirk": "Gelsenkirchen",
        "kreis": "Gelsenkirchen",
        "wahlkreis": "",
        "kommune": "Gelsenkirchen",
        "street": "Ückendorfer Hof 3",
        "postcode": "45886",
        "city": "Gelsenkirchen",
        "email": "",
        "tags": ["mitglieder"],
        "lists": [],
    },
]
