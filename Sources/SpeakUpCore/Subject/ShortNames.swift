/// Short and familiar forms of first names used in British workplaces ("Bill" for
/// William, "Liz" for Elizabeth), so that a report about "Bill Smith" is recognised
/// as one about William Smith. Each line is one family: any name in it may stand for
/// any other. A trust adds its own through the directory's `known_as` column.
public enum ShortNames {
    static let families: [[String]] = [
        ["william", "bill", "billy", "will", "willy", "liam", "wil"],
        ["robert", "bob", "bobby", "rob", "robbie", "bert", "robin"],
        ["richard", "rich", "richie", "rick", "ricky", "dick"],
        ["james", "jim", "jimmy", "jamie", "jas"],
        ["john", "jon", "johnny", "jack", "ian", "sean", "evan"],
        ["jonathan", "jon", "jonny", "nathan"],
        ["michael", "mike", "mick", "micky", "mikey"],
        ["thomas", "tom", "tommy"],
        ["christopher", "chris", "kit", "topher"],
        ["christine", "chris", "chrissie", "tina", "christina", "kristina", "kirsty", "kirsten"],
        ["elizabeth", "liz", "lizzie", "beth", "betty", "bess", "eliza", "libby", "lisa", "elsie", "betsy"],
        ["margaret", "maggie", "meg", "peggy", "marge", "margo", "greta", "rita", "daisy"],
        ["katherine", "catherine", "kathryn", "kate", "katie", "kath", "cath", "cathy", "kathy", "kit", "kay", "kitty"],
        ["samuel", "sam", "sammy"],
        ["samantha", "sam", "sammie", "sammy"],
        ["alexander", "alex", "alec", "sandy", "xander", "alasdair", "alistair", "alastair"],
        ["alexandra", "alex", "alexa", "sandra", "sandy", "lexi"],
        ["andrew", "andy", "drew"],
        ["anthony", "tony", "ant"],
        ["antonia", "toni"],
        ["benjamin", "ben", "benny", "benji"],
        ["daniel", "dan", "danny"],
        ["danielle", "dani"],
        ["david", "dave", "davey", "davy", "dai"],
        ["edward", "ed", "eddie", "ted", "teddy", "ned"],
        ["edmund", "ed", "eddie", "ted", "ned"],
        ["frederick", "fred", "freddie", "freddy"],
        ["gerald", "gerry", "jerry"],
        ["harold", "harry", "hal"],
        ["henry", "harry", "hank", "hal"],
        ["jacqueline", "jackie", "jacqui"],
        ["jennifer", "jen", "jenny", "jenni"],
        ["joseph", "joe", "joey", "jo"],
        ["josephine", "jo", "josie", "jose"],
        ["joanne", "joanna", "jo", "jo-anne"],
        ["kenneth", "ken", "kenny"],
        ["lawrence", "laurence", "larry", "laurie", "lol"],
        ["leonard", "len", "lenny", "leo"],
        ["matthew", "matt", "matty"],
        ["nicholas", "nick", "nicky", "nico"],
        ["nicola", "nicole", "nicky", "nikki", "nic"],
        ["patrick", "pat", "paddy", "rick"],
        ["patricia", "pat", "patty", "tricia", "trish", "patsy"],
        ["peter", "pete"],
        ["philip", "phillip", "phil", "pip"],
        ["raymond", "ray"],
        ["ronald", "ron", "ronnie"],
        ["stephen", "steven", "steve", "stevie", "steph"],
        ["stephanie", "steph", "stephie"],
        ["susan", "sue", "susie", "suzy", "suzanne"],
        ["timothy", "tim", "timmy"],
        ["victoria", "vicky", "vicki", "tori", "vic"],
        ["rebecca", "becky", "becca", "bex"],
        ["deborah", "debbie", "deb", "debs"],
        ["rosemary", "rose", "rosie"],
        ["abigail", "abby", "abi", "gail"],
        ["charles", "charlie", "chas", "chuck", "chaz"],
        ["charlotte", "charlie", "lottie", "lotte"],
        ["francis", "frank", "frankie", "fran"],
        ["frances", "fran", "frankie", "fanny"],
        ["gregory", "greg"],
        ["geoffrey", "jeffrey", "geoff", "jeff"],
        ["douglas", "doug", "dougie"],
        ["donald", "don", "donnie"],
        ["eleanor", "elinor", "ellie", "nell", "nora", "elle"],
        ["helen", "ellen", "nell", "nelly"],
        ["mohammed", "muhammad", "mohammad", "mohamed", "muhammed", "mo"],
        ["oluwaseun", "seun"],
        ["olubunmi", "bunmi"],
        ["adebayo", "bayo"],
        ["oluwatobi", "tobi"],
        ["siobhan", "shiv"],
        ["zoe", "zoey"],
        ["priyanka", "priya"],
        ["rajesh", "raj"],
        ["sanjay", "sanj"],
        ["nathaniel", "nathan", "nat", "nate"],
        ["natalie", "natalia", "nat", "tash", "natasha"],
        ["terence", "terry", "tel"],
        ["theresa", "teresa", "tess", "tessa", "terri"],
        ["valerie", "val"],
        ["vincent", "vince", "vinny"],
        ["walter", "walt", "wally"],
        ["zachary", "zach", "zack"],
    ]

    /// For each name (folded), every name that may stand for it, itself included: worked out once.
    static let formsOfName: [String: Set<String>] = {
        var table: [String: Set<String>] = [:]
        for family in families {
            let folded = Set(family.map { NameFolding.words($0).joined() })
            for name in folded { table[name, default: []].formUnion(folded) }
        }
        return table
    }()

    /// Every name that may stand for `name` (itself included), e.g. "bill" -> william, will, billy…
    public static func forms(of name: String) -> Set<String> {
        formsOfName[name] ?? [name]
    }
}
