/// Letters of other scripts that look like Latin letters, and the Latin letter each
/// is read as: the part of Unicode's confusable skeletons (UTS #39) that matters for
/// names written in Latin letters. Someone writing "Ѕаm" with a Cyrillic Ѕ and а
/// means Sam, whether by accident (a Cyrillic keyboard) or to slip past a check.
///
/// Only single letters that are drawn alike in ordinary fonts are here. Digits are
/// not mapped (logins such as `sguard1` keep their digits).
enum Confusables {
    static let latin: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        func add(_ pairs: KeyValuePairs<String, String>) {
            for (from, to) in pairs { for scalar in from.unicodeScalars { table[scalar] = to } }
        }
        // Cyrillic capitals and small letters.
        add([
            "АаӐӑӒӓ": "a", "ВвЬь": "b", "СсϹϲ": "c", "Ԁԁ": "d", "ЕеЀѐЁё": "e", "Һһ": "h", "ІіЇї": "i", "Јј": "j",
            "Кк": "k", "ӀӏԼ": "l", "Мм": "m", "Нн": "h", "ОоӦӧ": "o", "Рр": "p", "Ԛԛ": "q", "Ѕѕ": "s", "Тт": "t",
            "Ѵѵ": "v", "Ԝԝ": "w", "Хх": "x", "УуҮү": "y", "Ꙅ": "s",
        ])
        // Greek capitals, and the small letters that look Latin.
        add([
            "ΑΆα": "a", "Ββ": "b", "ΕΈ": "e", "Ζ": "z", "ΗΉ": "h", "ΙΊΪιίϊΐ": "i", "Κκ": "k", "Μ": "m", "Ν": "n",
            "ΟΌοό": "o", "Ρρ": "p", "ΤΤ": "t", "ΥΎΫυύϋ": "y", "Χχ": "x", "ν": "v",
        ])
        // Latin letters that stand in for plain ones.
        add(["ı": "i", "ſ": "s", "ℓ": "l", "ɑ": "a", "ɡ": "g", "ǀ": "l", "ɩ": "i", "ʏ": "y", "ᴏ": "o", "ꜱ": "s"])
        // Latin letters with no decomposition, written as their plain letters in English names.
        add(["Łł": "l", "Øø": "o", "Đđ": "d", "Ðð": "d", "ß": "ss", "Ææ": "ae", "Œœ": "oe", "Þþ": "th", "Ħħ": "h"])
        // Armenian and Cherokee letters drawn like Latin ones.
        add(["օ": "o", "ս": "u", "ց": "g", "հ": "h", "ո": "n", "Ꭺ": "a", "Ꭼ": "e", "Ꮋ": "h", "Ꮃ": "w", "Ꮪ": "s", "Ꭲ": "t"])
        return table
    }()
}
