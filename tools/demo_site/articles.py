"""The article data of the demo site: ``DEFAULT_ARTICLES``, the seed article first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from tools.demo_site.model import DemoArticle

_IST = timezone(timedelta(hours=5, minutes=30))


def _tz(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


def _blocks(text: str) -> tuple[str, ...]:
    """Blank-line separated blocks of wrapped text -> one string per block (lines joined by a
    space), so article texts can be written as readable paragraphs."""
    blocks = (" ".join(line.strip() for line in chunk.splitlines()) for chunk in text.split("\n\n"))
    return tuple(b.strip() for b in blocks if b.strip())


DEFAULT_ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        slug="russias-implications-from-vladimir-putins-visit-to-china",
        headline="Russia’s implications from Vladimir Putin’s visit to China",
        categories=("Asia", "Politics"),
        authors=("Arjun Mehta",),
        published=datetime(2023, 10, 16, 9, 30, tzinfo=_IST),
        modified=datetime(2023, 10, 17, 11, 0, tzinfo=_IST),
        jsonld_graph=True,
        related=(
            "maharashtra-2024-exit-polls-mahayuti-leads-mva-trails-in-tight-contest",
            "kizza-besigye-detained-in-uganda-after-alleged-kidnapping-in-kenya",
            "trumps-surprising-meeting-with-morning-joe-hosts-sparks-curiosity",
        ),
        worth_reading="evacuation-period-for-gaza-residents-expired-and-israel-targeted-hizbollah",
        key_points=_blocks(
            """
            Chinese leaders will meet with Russian President Vladimir Putin in Beijing.

            Putin’s visit is a demonstration of support for Chinese President Xi Jinping’s historic
            Belt and Road initiative.

            China is Russia’s main market for Russian goods as well as its economic lifeline.
            """
        ),
        paragraphs=_blocks(
            """
            This week, Chinese leaders will meet with Russian President Vladimir Putin in Beijing,
            where they will discuss China’s diplomatic and economic backing of Moscow amid its
            conflict in Ukraine.

            The Israel-Hamas conflict has complicated the two nations’ unofficial cooperation
            against the US and other democratic countries. China has made an effort to strike a
            balance between its economic ties—which are heavily supported by Russia—with Iran and
            Syria and its relations with Israel.

            ## Visit to China

            Putin’s visit is a demonstration of support for Chinese President [Xi
            Jinping](/tag/china/)‘s historic Belt and Road initiative, which aims to develop
            infrastructure and increase China’s sphere of influence abroad.

            At an event celebrating the tenth anniversary of Xi’s declaration of the policy, which
            has left Zambia and Sri Lanka heavily indebted after they entered into agreements with
            Chinese enterprises to construct roads, airports, and other public works they could not
            otherwise afford, he will be one of the most well-known attendees.

            Putin stated that discussions of Belt and Road projects would be covered during the
            visit. Moscow hopes to connect these initiatives with the efforts being made by an
            economic alliance of former Soviet Union countries, most of which are in Central Asia,
            to “achieve common development goals.”

            In an area that Russia has traditionally seen as its backyard and where it has attempted
            to retain political and military sway, he also minimized the significance of China’s
            economic influence.

            According to Alexander Gabuev, director of the Carnegie Russia Eurasia Center, China can
            rely on Russia as a friendly and safe neighbor, as well as a reliable supplier of
            inexpensive raw resources, backing for its global endeavors, and access to military
            technologies that China lacks. China is Russia’s main market for Russian goods as well
            as its economic lifeline during its ruthless repression of Ukraine.

            Although it seems unlikely that Beijing and Moscow will form a formal military alliance,
            their defense cooperation will increase. In terms of security, both nations are
            self-sufficient and gain from cooperation, but neither needs the other to secure their
            security.
            """
        ),
    ),
    DemoArticle(
        slug="evacuation-period-for-gaza-residents-expired-and-israel-targeted-hizbollah",
        headline="Evacuation Period for Gaza Residents Expired and Israel Targeted Hizbollah",
        categories=("LiveWarWorld",),
        authors=("Omar Haddad",),
        published=datetime(2023, 10, 14, 18, 20, tzinfo=_tz(3)),
        tags=("Gaza", "Israel", "Lebanon"),
        with_jsonld=False,
        key_points=_blocks(
            """
            The deadline for civilians in northern Gaza to move south has expired.

            Aid agencies warn of shortages of water, fuel and medicine.

            Israel says it struck Hizbollah positions in southern Lebanon.
            """
        ),
        paragraphs=_blocks(
            """
            The deadline given by the Israeli military for civilians in the north of the Gaza Strip
            to move south expired on Saturday, as tens of thousands of people crowded onto roads
            leading towards Khan Younis and Rafah.

            Aid agencies warned that the movement of so many people in such a short time was causing
            severe hardship, with shortages of water, fuel and medicine reported across the
            territory. United Nations officials called for the protection of civilians wherever they
            chose to stay.

            ## Strikes in southern Lebanon

            On the northern front, the Israeli military said it had struck Hizbollah positions in
            southern Lebanon after anti-tank missiles were fired at an army post near the border.
            Hizbollah said it had targeted Israeli positions in response to earlier shelling.

            The exchanges were among the most serious along the border since the war began a week
            ago, and residents of several Israeli border communities were told to stay close to
            shelters. Families in villages on the Lebanese side of the border also left their homes
            and moved north.

            Diplomats from several countries continued their efforts to prevent the conflict from
            spreading further across the region.
            """
        ),
    ),
    DemoArticle(
        slug="maharashtra-2024-exit-polls-mahayuti-leads-mva-trails-in-tight-contest",
        headline="Maharashtra 2024 Exit Polls: Mahayuti Leads, MVA Trails in Tight Contest",
        categories=("India", "Politics"),
        authors=("Priya Deshmukh", "Rahul Kulkarni"),
        published=datetime(2024, 11, 20, 21, 15, tzinfo=_IST),
        tags=("Maharashtra", "Elections", "Exit polls"),
        jsonld_graph=True,
        trending=True,
        key_points=_blocks(
            """
            Mahayuti alliance predicted to win 128-195 seats in Maharashtra Assembly.

            MVA projected to secure 69-91 seats, with several pollsters calling the race close.

            Results will be declared on November 23 after the votes are counted.
            """
        ),
        paragraphs=_blocks(
            """
            Exit polls released on Wednesday evening suggest the ruling Mahayuti alliance is on
            course to retain power in Maharashtra, although the margins projected by different
            agencies vary widely.

            The alliance of the Bharatiya Janata Party, the Shiv Sena faction led by Chief Minister
            Eknath Shinde and the Nationalist Congress Party faction of Ajit Pawar was projected to
            win between 128 and 195 of the 288 seats in the Assembly. The majority mark is 145.

            ## What the pollsters found

            The opposition Maha Vikas Aghadi, which brings together the Congress, the Shiv Sena
            (UBT) and the NCP (SP), was projected to secure between 69 and 91 seats in most surveys,
            with a few agencies placing it closer to the majority mark.

            - Most surveys gave the Mahayuti a clear lead in western Maharashtra and the Mumbai
            region.

            - Several agencies expected a closer fight in Vidarbha and Marathwada.

            - Smaller parties and independents were projected to win between 12 and 29 seats.

            Analysts cautioned that exit polls in the state have missed the final result before,
            particularly in seats decided by a few thousand votes. Turnout was reported at around 65
            percent, higher than in the previous Assembly election.

            ## Counting on Saturday

            Votes will be counted on November 23. Leaders of both alliances said they were confident
            of forming the next government, and party workers in Mumbai began preparing for
            celebrations before the first trends were known.
            """
        ),
    ),
    DemoArticle(
        slug="kizza-besigye-detained-in-uganda-after-alleged-kidnapping-in-kenya",
        headline="Kizza Besigye Detained in Uganda After Alleged Kidnapping in Kenya",
        categories=("Africa", "Politics"),
        authors=("Grace Atieno",),
        published=datetime(2024, 11, 21, 8, 40, tzinfo=_tz(3)),
        modified=datetime(2024, 11, 21, 12, 5, tzinfo=_tz(3)),
        tags=("Uganda", "Kenya", "Opposition"),
        trending=True,
        key_points=_blocks(
            """
            Kizza Besigye, Ugandan opposition leader, is arrested and held in Uganda’s military jail
            after allegedly being abducted in Nairobi.

            He appeared before a military court in Kampala alongside an aide.

            Rights groups call for an independent inquiry.
            """
        ),
        paragraphs=_blocks(
            """
            Kizza Besigye, the veteran Ugandan opposition leader, has been charged before a military
            court in Kampala days after his wife said he was abducted in the Kenyan capital,
            Nairobi.

            Besigye, who ran against President Yoweri Museveni in four elections, had travelled to
            Nairobi to attend a book launch. His wife, Winnie Byanyima, said on social media that he
            had been taken from the city and was being held in a military jail, and called for his
            immediate release.

            ## Charges before a military court

            Lawyers for Besigye said he appeared before the General Court Martial alongside a close
            aide and faced charges that included the unlawful possession of firearms. They argued
            that a civilian should not be tried by a military court and said they would challenge
            the proceedings.

            Ugandan military officials said the accused had been brought before the court in line
            with the law. Kenyan officials initially said they had no knowledge of any operation to
            detain him, while rights groups in both countries called for an independent inquiry.

            The case has renewed concern among opposition figures in the region about the use of
            military courts against critics. Supporters of Besigye gathered outside the court
            building in Makindye, where the hearing was adjourned to a later date.
            """
        ),
    ),
    DemoArticle(
        slug="trumps-surprising-meeting-with-morning-joe-hosts-sparks-curiosity",
        headline="Trump’s Surprising Meeting with Morning Joe Hosts Sparks Curiosity",
        categories=("Americas", "Politics"),
        authors=("Daniel Ortiz",),
        published=datetime(2024, 11, 19, 16, 5, tzinfo=_tz(-5)),
        tags=("Donald Trump", "Media", "Politics"),
        with_jsonld=False,
        trending=True,
        key_points=_blocks(
            """
            Trump describes his recent meeting with Joe Scarborough and Mika Brzezinski as
            “extremely cordial.”

            The hosts told viewers they had agreed to restart communications.

            Some viewers and media critics reacted with surprise.
            """
        ),
        paragraphs=_blocks(
            """
            Donald Trump’s meeting with the hosts of the MSNBC programme Morning Joe at his Florida
            residence has drawn attention from viewers and media critics alike, given the years of
            sharp criticism the programme has aimed at him.

            Joe Scarborough and Mika Brzezinski told viewers on Monday that they had travelled to
            Mar-a-Lago to meet the president-elect for the first time in years. They said they did
            not see eye to eye with him on many issues but had agreed to restart communications.

            ## A change of tone

            Trump later said the conversation had been cordial and that the hosts had asked for the
            meeting. Some regular viewers reacted with surprise on social media, and several
            commentators questioned whether the coverage of the programme would change.

            The hosts said their journalism would not be affected and that talking to a newly
            elected president was part of their job. Media analysts noted that other news
            organisations have also been reassessing their relationships with the incoming
            administration.

            The episode highlights how cable news outlets are adjusting after the election, as
            networks weigh audience expectations against access to the new government in Washington.
            """
        ),
    ),
    DemoArticle(
        slug="vietnamese-electronics-exporters-brace-for-slower-holiday-orders",
        headline="Vietnamese Electronics Exporters Brace for Slower Holiday Orders",
        categories=("Asia", "Business"),
        authors=("Minh Tran",),
        published=datetime(2024, 11, 18, 10, 0, tzinfo=_tz(7)),
        tags=("Vietnam", "Exports", "China"),
        key_points=_blocks(
            """
            Electronics exporters in northern Vietnam expect holiday orders to fall for the second
            year.

            Buyers in Europe and the United States are holding smaller inventories.

            Some factories are moving staff to repair and refurbishment work.
            """
        ),
        paragraphs=_blocks(
            """
            Electronics manufacturers around Bac Ninh, the industrial province north of Hanoi, are
            preparing for a quieter end to the year as overseas buyers place smaller holiday orders
            than they did before the pandemic.

            Nguyen Thi Lan, who manages production at the components maker Hanh Long Electronics,
            said orders for the fourth quarter were about 15 percent below last year. “Customers are
            waiting until the last moment and ordering in small batches,” she said.

            ## Orders shift to spring

            Factory owners said several buyers had moved orders into the first quarter, when they
            expect shipping costs to ease. Suppliers that rely on parts from [China](/tag/china/)
            said delivery times had become more predictable this year, which helped them keep
            inventories low.

            Some companies are using the slowdown to train workers and expand repair and
            refurbishment lines, which earn lower margins but keep production lines busy. Provincial
            officials said they expected new investment from electronics groups to continue next
            year despite the weaker season.

            Industry associations will publish export figures for November in the second week of
            December.
            """
        ),
    ),
    DemoArticle(
        slug="mongolian-herders-press-lawmakers-for-winter-fodder-relief",
        headline="Mongolian Herders Press Lawmakers for Winter Fodder Relief",
        categories=("Asia", "Politics"),
        authors=("Sarnai Bold",),
        published=datetime(2024, 11, 12, 9, 15, tzinfo=_tz(8)),
        modified=datetime(2024, 11, 12, 15, 40, tzinfo=_tz(8)),
        tags=("Mongolia", "Agriculture", "Climate"),
        jsonld_graph=True,
        key_points=_blocks(
            """
            Herder associations ask parliament to fund emergency fodder reserves before January.

            Last winter’s dzud killed millions of livestock across the country.

            The government says a relief package is being prepared.
            """
        ),
        paragraphs=_blocks(
            """
            Herder associations from five Mongolian provinces delivered a petition to lawmakers in
            Ulaanbaatar on Tuesday, asking for emergency fodder reserves to be funded before the
            coldest weeks of the winter.

            Last winter’s dzud, a combination of drought and extreme cold that leaves animals unable
            to graze, killed millions of sheep, goats, cattle and horses. Many families lost most of
            their herds and moved to the capital in search of work.

            ## Calls for earlier payments

            The herders want subsidies for hay and fodder to be paid in December rather than in the
            spring, when they said help often arrives too late. They also asked for more veterinary
            teams in remote districts.

            “We cannot wait until the animals are already dying,” said Batbayar Dorj, the head of a
            herders’ cooperative in Arkhangai province, who travelled to the capital with the
            petition.

            A government spokesperson said a relief package was being prepared and would be
            presented to parliament before the end of the month. Weather forecasters expect
            temperatures in the west of the country to fall well below average in January.
            """
        ),
    ),
    DemoArticle(
        slug="typhoon-recovery-pushes-up-rice-prices-across-northern-luzon",
        headline="Typhoon Recovery Pushes Up Rice Prices Across Northern Luzon",
        categories=("Asia", "Business"),
        authors=("Isabel Reyes",),
        published=datetime(2024, 11, 8, 7, 30, tzinfo=_tz(8)),
        tags=("Philippines", "Agriculture", "Typhoons"),
        key_points=_blocks(
            """
            Rice prices in northern Luzon have risen for three consecutive weeks.

            Farmers lost part of their harvest when successive typhoons flooded fields.

            Local officials are releasing rice from government stocks to markets.
            """
        ),
        paragraphs=_blocks(
            """
            Rice prices in the markets of northern Luzon have risen for a third consecutive week as
            farmers count the cost of the typhoons that flooded fields in the Cagayan Valley shortly
            before harvest.

            Traders in Tuguegarao said the price of regular milled rice had gone up by about three
            pesos a kilo since the end of October, while supplies of locally grown premium rice were
            running short.

            ## Fields under water

            Farmers said some of the crop could still be saved, but grain that stayed under water
            for several days had started to sprout. Many of them had borrowed money to pay for seed
            and fertiliser at the start of the season.

            > We planted in June and we were two weeks away from the harvest. Now we do not know how
            we will pay back the loan.

            Provincial governments have started releasing rice from buffer stocks to public markets
            and have asked traders not to hold back supplies. Agriculture officials said they
            expected prices to ease once imported rice reaches northern ports later this month.

            Farm groups want the national government to extend crop insurance payments to tenant
            farmers who do not own the land they work.
            """
        ),
    ),
    DemoArticle(
        slug="incheon-start-up-opens-battery-recycling-plant-as-carmakers-seek-supply",
        headline="Incheon Start-Up Opens Battery Recycling Plant as Carmakers Seek Supply",
        categories=("Asia", "Business"),
        authors=("Ji-woo Han",),
        published=datetime(2024, 10, 30, 14, 0, tzinfo=_tz(9)),
        tags=("South Korea", "Batteries", "Electric vehicles"),
        jsonld_graph=True,
        key_points=_blocks(
            """
            A start-up has opened a battery recycling plant near Incheon.

            The plant can process the batteries of about 20,000 electric cars a year.

            Carmakers want recycled nickel and lithium to secure supplies.
            """
        ),
        paragraphs=_blocks(
            """
            A South Korean start-up has opened a battery recycling plant near Incheon, betting that
            carmakers will need large volumes of recycled metals as the first generation of electric
            vehicles reaches the end of its life.

            The company, Saebit Materials, said the plant could process batteries from about 20,000
            electric cars a year, recovering nickel, cobalt, lithium and manganese that can be sold
            back to cathode makers.

            ## Securing supply

            Carmakers and battery producers are looking for ways to secure raw materials closer to
            home and to meet rules that require a growing share of recycled content in new
            batteries. Executives at the opening said several carmakers had already signed supply
            agreements.

            The chief executive of Saebit, Park Seo-yeon, said the company planned to double
            capacity by 2027 if demand grew as expected. The plant uses a hydrometallurgical process
            that dissolves crushed battery material in acid before the metals are separated.

            Environmental groups welcomed the investment but asked the company to publish data on
            its water use and waste treatment.
            """
        ),
    ),
    DemoArticle(
        slug="kyrgyz-opposition-groups-form-alliance-ahead-of-local-elections",
        headline="Kyrgyz Opposition Groups Form Alliance Ahead of Local Elections",
        categories=("Asia", "Politics"),
        authors=("Arjun Mehta",),
        published=datetime(2024, 10, 22, 11, 20, tzinfo=_tz(6)),
        tags=("Kyrgyzstan", "Elections", "Opposition"),
        key_points=_blocks(
            """
            Three opposition parties in Kyrgyzstan have agreed to field joint candidates.

            The alliance will compete in city council elections in Bishkek and Osh.

            Observers expect a low turnout.
            """
        ),
        paragraphs=_blocks(
            """
            Three opposition parties in Kyrgyzstan announced on Tuesday that they would field joint
            candidates in next month’s city council elections, saying they hoped to avoid splitting
            the vote in the two largest cities.

            Leaders of the parties told reporters in Bishkek that the alliance would focus on local
            issues such as public transport, air pollution and the cost of heating, rather than
            national politics.

            ## A difficult campaign

            Opposition politicians said they had found it difficult to rent halls for meetings and
            to get airtime on television. Election officials said all registered parties had equal
            rights and that complaints would be examined.

            Observers expect a low turnout, as in recent local votes. Analysts said the alliance
            could win seats in Bishkek and Osh if it managed to mobilise younger voters, many of
            whom follow politics mainly on social media.

            The elections are scheduled for the last Sunday of November, and preliminary results are
            expected the following day.
            """
        ),
    ),
    DemoArticle(
        slug="kenyan-tea-auctions-rebound-as-buyers-return-from-pakistan-and-egypt",
        headline="Kenyan Tea Auctions Rebound as Buyers Return From Pakistan and Egypt",
        categories=("Africa", "Business"),
        authors=("Grace Atieno",),
        published=datetime(2024, 11, 15, 13, 45, tzinfo=_tz(3)),
        tags=("Kenya", "Tea", "Exports"),
        jsonld_graph=True,
        trending=True,
        key_points=_blocks(
            """
            Prices at the weekly Mombasa tea auction rose for the fourth week in a row.

            Buyers from Pakistan and Egypt returned after months of lower demand.

            Small-scale farmers hope for higher bonus payments next year.
            """
        ),
        paragraphs=_blocks(
            """
            Prices at the weekly Mombasa tea auction rose for a fourth consecutive week as buyers
            from Pakistan and Egypt returned to the market after several months of subdued demand.

            Brokers said the average price for a kilogram of tea had climbed to its highest level
            since the start of the year, helped by a weaker shilling and lower stocks in importing
            countries.

            ## Farmers wait for bonuses

            Small-scale growers, who supply most of the tea sold at the auction, said they hoped the
            recovery would translate into higher bonus payments when factories close their books
            next year. Many farmers in Kericho and Nyeri had cut spending on fertiliser after low
            prices earlier in the year.

            Exporters cautioned that demand from Pakistan depended on the availability of foreign
            exchange there and could fall again. They also pointed to rising competition from
            producers in Uganda and Rwanda.

            The auction is one of the largest in the world and handles tea from several East African
            countries.
            """
        ),
    ),
    DemoArticle(
        slug="lagos-commuters-face-longer-queues-after-ferry-operator-cuts-routes",
        headline="Lagos Commuters Face Longer Queues After Ferry Operator Cuts Routes",
        categories=("Africa", "Business"),
        authors=("Tunde Adeyemi",),
        published=datetime(2024, 11, 5, 8, 10, tzinfo=_tz(1)),
        tags=("Nigeria", "Transport"),
        with_jsonld=False,
        image=False,
        key_points=_blocks(
            """
            A private ferry operator has suspended four routes on the Lagos lagoon.

            Commuters say waiting times at terminals have doubled.

            The state waterways authority promises new boats by March.
            """
        ),
        paragraphs=_blocks(
            """
            Commuters in Lagos faced long queues at ferry terminals this week after a private
            operator suspended four routes across the lagoon, citing the rising cost of diesel and
            spare parts.

            Passengers at the Ikorodu terminal said they had waited more than an hour for a boat
            during the morning rush, and some returned to the road network despite heavy traffic on
            the routes into Lagos Island.

            ## Routes suspended

            The operator said the following services would be paused until further notice:

            - Ikorodu to Falomo

            - Badore to Five Cowries

            - Mile 2 to Marina

            - Ebute Ero to Ijede

            Some commuters said they had switched to motorcycle taxis for shorter trips, although
            the state has banned them from several major roads in the city.

            The Lagos State Waterways Authority said it was talking to other operators about
            covering the routes and that new state-owned boats would enter service by March.
            Transport campaigners said the city needed more frequent and affordable ferries to
            reduce congestion on its roads.
            """
        ),
    ),
    DemoArticle(
        slug="chilean-lithium-town-debates-water-deal-with-mining-consortium",
        headline="Chilean Lithium Town Debates Water Deal With Mining Consortium",
        categories=("Americas", "Business"),
        authors=("Daniel Ortiz",),
        published=datetime(2024, 11, 14, 12, 30, tzinfo=_tz(-3)),
        modified=datetime(2024, 11, 15, 9, 0, tzinfo=_tz(-3)),
        tags=("Chile", "Mining", "Water"),
        key_points=_blocks(
            """
            Residents of a town in northern Chile are debating a water-sharing deal with a mining
            consortium.

            The consortium wants to expand lithium production on the salt flat.

            A local vote on the agreement is planned for December.
            """
        ),
        paragraphs=_blocks(
            """
            Residents of Quebrada Alta, a town on the edge of the Atacama salt flat, have begun a
            series of public meetings on a proposed water-sharing agreement with a mining consortium
            that plans to expand lithium production.

            Under the draft agreement, the consortium would reduce the amount of fresh water it
            draws from local aquifers and pay for a new treatment plant, in return for permission to
            increase brine extraction over the next decade.

            ## Concerns about the aquifer

            Indigenous community leaders said they were worried that pumping more brine would lower
            groundwater levels and damage the lagoons that flamingos and other birds depend on.
            Farmers asked for independent monitoring of the wells.

            Company representatives said new extraction methods would return most of the brine to
            the salt flat. They said the expansion would create several hundred jobs and increase
            the taxes paid to the municipality.

            The town council plans to hold a vote on the agreement in December, after the last
            public meeting.
            """
        ),
    ),
    DemoArticle(
        slug="ontario-mayors-ask-province-for-transit-funding-before-spring-budget",
        headline="Ontario Mayors Ask Province for Transit Funding Before Spring Budget",
        categories=("Americas", "Politics"),
        authors=("Emily Clarke",),
        published=datetime(2024, 10, 28, 17, 0, tzinfo=_tz(-4)),
        tags=("Canada", "Transport"),
        jsonld_graph=True,
        key_points=_blocks(
            """
            Mayors of eight Ontario cities are asking for more transit funding.

            They want money for bus fleets and operating costs.

            The province will present its budget in the spring.
            """
        ),
        paragraphs=_blocks(
            """
            Mayors of eight cities in Ontario have written to the provincial government asking for a
            new transit fund, saying that rising ridership and ageing bus fleets are straining
            municipal budgets.

            The letter, signed by mayors from cities including Hamilton, Kitchener and London, asks
            the province to share the cost of operating local transit rather than only paying for
            new infrastructure.

            ## Pressure on property taxes

            Several mayors said that without provincial help they would have to raise property taxes
            or reduce service. Ridership in some cities has returned to levels seen before the
            pandemic, while fuel and maintenance costs have risen.

            A spokesperson for the provincial transportation ministry said the government had
            already made record investments in public transit and would review the request as it
            prepared the spring budget.

            Transit advocates welcomed the joint letter and said the province should also consider
            funding for routes that connect neighbouring cities. The mayors said they would raise
            the issue again when municipal leaders meet in Toronto in January.
            """
        ),
    ),
    DemoArticle(
        slug="lisbon-councillors-split-over-plan-to-double-tourist-tax",
        headline="Lisbon Councillors Split Over Plan to Double Tourist Tax",
        categories=("Europe", "Politics"),
        authors=("Sofia Lindqvist",),
        published=datetime(2024, 11, 13, 10, 45, tzinfo=UTC),
        tags=("Portugal", "Tourism", "Housing"),
        key_points=_blocks(
            """
            A proposal to double the tourist tax in Lisbon has divided the city council.

            Supporters want to spend the money on housing and street cleaning.

            Hotel owners warn that visitors will stay elsewhere.
            """
        ),
        paragraphs=_blocks(
            """
            A proposal to double the tourist tax charged to visitors staying in Lisbon has divided
            the city council, with members of the governing coalition disagreeing over how the extra
            money should be spent.

            The tax is charged per person per night in hotels and short-term rentals. The proposal
            would raise it from two to four euros and use part of the revenue for affordable housing
            and street cleaning in the historic centre.

            ## Hotels push back

            Hotel associations said the increase would make the city less competitive and argued
            that the tax should also be applied to cruise passengers who visit for a day.

            > Residents are paying the price of tourism every day. It is fair that visitors
            contribute a little more.

            The councillor who made the proposal said the city had to respond to complaints about
            rents and overcrowding. A vote is expected before the end of the year, and opposition
            councillors have asked for a study of the likely effect on visitor numbers.
            """
        ),
    ),
    DemoArticle(
        slug="baltic-ferry-operator-orders-three-hybrid-vessels-from-finnish-yard",
        headline="Baltic Ferry Operator Orders Three Hybrid Vessels From Finnish Yard",
        categories=("Europe", "Business"),
        authors=("Sofia Lindqvist",),
        published=datetime(2024, 11, 7, 9, 0, tzinfo=_tz(2)),
        tags=("Finland", "Shipping", "Transport"),
        jsonld_graph=True,
        key_points=_blocks(
            """
            A Baltic ferry operator has ordered three hybrid vessels.

            The ships will run on liquefied natural gas and batteries.

            Deliveries are planned from 2027.
            """
        ),
        paragraphs=_blocks(
            """
            A ferry operator serving routes between Finland, Estonia and Sweden has ordered three
            hybrid vessels from a shipyard in Rauma, the company said on Thursday.

            The ships, which will be able to carry about 1,800 passengers and 200 cars each, will
            combine engines that run on liquefied natural gas with large battery packs used when
            entering and leaving port.

            ## Cutting emissions in port

            The operator, Nordlys Line, said the new vessels would reduce emissions per passenger by
            about a third compared with the ships they will replace. Port authorities in Helsinki
            and Tallinn have been installing shore power connections so that ships can switch off
            their engines while docked.

            The shipyard said the order would secure work for hundreds of employees and
            subcontractors until the end of the decade. The first vessel is due to be delivered in
            2027.

            The company did not disclose the value of the contract, but analysts estimated it at
            several hundred million euros.
            """
        ),
    ),
    DemoArticle(
        slug="pune-auto-parts-makers-report-festive-season-surge-in-orders",
        headline="Pune Auto Parts Makers Report Festive-Season Surge in Orders",
        categories=("India", "Business"),
        authors=("Priya Deshmukh",),
        published=datetime(2024, 11, 4, 19, 30, tzinfo=_IST),
        tags=("Maharashtra", "Manufacturing", "Exports"),
        key_points=_blocks(
            """
            Auto parts makers around Pune report strong orders during the festive season.

            Demand for two-wheelers in rural areas is recovering.

            Manufacturers are hiring temporary workers to keep up.
            """
        ),
        paragraphs=_blocks(
            """
            Auto parts manufacturers in the industrial belt around Pune have reported a surge in
            orders during the festive season, as demand for motorcycles and scooters recovered in
            rural markets.

            Suppliers of brake systems, wiring harnesses and castings said their order books for
            October and November were the strongest in three years. Several companies added night
            shifts and hired temporary workers to meet delivery schedules.

            ## Rural demand returns

            Dealers said a good monsoon had improved farm incomes, encouraging families to buy
            vehicles that they had postponed during the previous two years. Sales of entry-level
            cars also rose, although more slowly.

            Industry representatives warned that the rise in orders might not last beyond the
            wedding season in early spring. They said higher steel and aluminium prices were also
            squeezing margins for smaller suppliers in Chakan and Bhosari.

            The state government has promised to improve roads and power supply in the industrial
            areas, which companies say would help them compete for export orders.
            """
        ),
    ),
    DemoArticle(
        slug="winter-aid-appeal-launched-for-displaced-families-in-eastern-ukraine",
        headline="Winter Aid Appeal Launched for Displaced Families in Eastern Ukraine",
        categories=("LiveWarWorld", "Europe"),
        authors=("Omar Haddad",),
        published=datetime(2024, 11, 16, 15, 0, tzinfo=_tz(2)),
        tags=("Ukraine", "Humanitarian aid"),
        key_points=_blocks(
            """
            Aid groups have launched a winter appeal for displaced families in eastern Ukraine.

            They want to provide heaters, blankets and fuel before January.

            Many families live in damaged homes without reliable electricity.
            """
        ),
        paragraphs=_blocks(
            """
            A group of humanitarian organisations has launched a winter appeal for families
            displaced by the war in eastern Ukraine, warning that many will spend the coming months
            in damaged homes without reliable heating.

            The organisations said they aimed to provide heaters, blankets, warm clothing and fuel
            to about 40,000 households in the Kharkiv and Donetsk regions before the coldest weeks
            of January.

            ## Power cuts expected

            Repeated attacks on energy infrastructure have led to scheduled power cuts in many
            towns. Aid workers said elderly people and families with small children were most at
            risk when temperatures fell below freezing.

            Local authorities have opened heating points in schools and administrative buildings,
            where residents can warm up, charge phones and get hot meals. Volunteers are also
            repairing windows and roofs in villages close to the front line.

            The appeal is being coordinated with regional administrations, and donations can be made
            through the websites of the participating organisations.
            """
        ),
    ),
    DemoArticle(
        slug="stadtwerke-lindenau-erhoehen-fernwaermepreise-um-zwoelf-prozent",
        headline="Stadtwerke Lindenau erhöhen Fernwärmepreise um zwölf Prozent",
        categories=("Wirtschaft", "Europa"),
        authors=("Katrin Vogel",),
        published=datetime(2024, 11, 21, 14, 30, tzinfo=UTC),
        tags=("Energie", "Fernwärme", "Verbraucher"),
        language="de",
        with_jsonld=False,
        machine_dates=False,
        key_points=_blocks(
            """
            Die Stadtwerke Lindenau erhöhen die Fernwärmepreise zum Jahreswechsel um zwölf Prozent.

            Betroffen sind rund 18.000 Haushalte im Stadtgebiet.

            Der Mieterverein kritisiert die Erhöhung als unangemessen.
            """
        ),
        paragraphs=_blocks(
            """
            Die Stadtwerke Lindenau erhöhen zum Jahreswechsel die Preise für Fernwärme deutlich. Wie
            das Unternehmen am Donnerstag mitteilte, steigt der Arbeitspreis ab Januar um zwölf
            Prozent.

            Betroffen sind rund 18.000 Haushalte im Stadtgebiet. Für eine durchschnittliche Wohnung
            bedeutet das nach Angaben der Stadtwerke Mehrkosten von etwa neun Euro im Monat.

            ## Kritik vom Mieterverein

            Der Mieterverein Lindenau kritisierte die Erhöhung scharf. Viele Mieterinnen und Mieter
            hätten bereits in den vergangenen beiden Jahren deutlich mehr für die Heizung bezahlt,
            sagte die Vorsitzende Petra Hoffmann. Sie forderte die Stadtwerke auf, die Kalkulation
            offenzulegen.

            Das Unternehmen begründet die Erhöhung mit gestiegenen Kosten für die Wartung und den
            Ausbau des Netzes. Bis zum Ende des Jahrzehnts soll ein großer Teil der Wärme aus einer
            neuen Großwärmepumpe am Fluss und aus der Abwärme eines Industriebetriebs stammen.

            Der Stadtrat will sich in seiner Sitzung im Dezember mit dem Thema befassen. Die
            Fraktionen von Grünen und SPD kündigten an, einen Härtefallfonds für einkommensschwache
            Haushalte zu beantragen.
            """
        ),
    ),
    DemoArticle(
        slug="explainer-how-exit-polls-are-conducted-in-india",
        headline="Explainer: How Exit Polls Are Conducted in India",
        categories=("India", "Politics"),
        authors=("Rahul Kulkarni",),
        published=None,
        tags=("Elections", "Exit polls"),
        jsonld_graph=True,
        key_points=_blocks(
            """
            Exit polls interview voters as they leave polling stations.

            Results are published only after the last phase of voting ends.

            Projections come as seat ranges because of sampling error.
            """
        ),
        paragraphs=_blocks(
            """
            Exit polls are surveys of voters carried out as they leave polling stations, and they
            are among the most watched numbers on any Indian election night.

            Polling agencies send field workers to a sample of constituencies and ask voters which
            party they supported. The answers are weighted by age, gender, caste, religion and
            region before they are turned into estimates of vote share.

            ## From votes to seats

            Converting vote share into seats is the hardest step, because India uses a
            first-past-the-post system in which a small change in votes can swing many
            constituencies. For that reason most agencies publish a range of seats rather than a
            single number.

            - Field workers usually interview voters at the exit of the polling station.

            - Some agencies also conduct telephone surveys on the day of the vote.

            - The Election Commission bars publication until the last phase of voting has ended.

            Exit polls have a mixed record. They have correctly predicted the winner in many state
            elections, but have also overestimated or underestimated the leading party by a wide
            margin. Voters and parties are advised to wait for the official count.
            """
        ),
    ),
)
