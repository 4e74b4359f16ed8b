namespace PlanningPoker.Bench.Insights;

/// <summary>
/// The words seeded stories are made of: user-story phrases in English and in French (GLOSSARY.md's words), so that
/// history search and similar stories meet both languages, with shared nouns ("invoice", "facture") across teams.
/// </summary>
internal static class Vocabulary
{
    public static readonly string[] EnglishRoles =
    [
        "buyer", "seller", "accountant", "administrator", "support agent", "warehouse manager", "customer", "team lead",
        "product owner", "auditor", "driver", "new user",
    ];

    public static readonly string[] EnglishWants =
    [
        "export invoices as PDF", "import bank statements", "reset my password", "filter orders by date", "receive an email when an order ships",
        "see the stock of each warehouse", "pay an invoice by card", "download the monthly report", "sign in with my company account",
        "archive old projects", "merge duplicate customers", "print delivery notes", "set a budget per team", "search invoices by amount",
        "approve expense claims", "track a parcel on a map", "change the currency of a quote", "invite a colleague to my workspace",
        "see who changed an order", "cancel a subscription", "schedule a payment", "attach a receipt to an expense", "export the ledger as CSV",
        "refund a returned item", "translate the catalogue", "lock a closed accounting period",
    ];

    public static readonly string[] EnglishReasons =
    [
        "so that I can send them to my accountant", "so that I save time at month end", "so that nothing gets lost",
        "so that customers know when to expect their order", "so that I can answer auditors quickly", "so that the figures match the bank",
        "so that I do not have to call support", "so that my team sees the same numbers",
    ];

    public static readonly string[] FrenchRoles =
    [
        "acheteur", "vendeur", "comptable", "administrateur", "agent du support", "responsable d'entrepôt", "client", "chef d'équipe",
        "responsable produit", "auditeur", "livreur", "nouvel utilisateur",
    ];

    public static readonly string[] FrenchWants =
    [
        "importer les relevés bancaires", "exporter les factures en PDF", "réinitialiser mon mot de passe", "filtrer les commandes par date",
        "recevoir un courriel quand une commande part", "voir le stock de chaque entrepôt", "payer une facture par carte",
        "télécharger le rapport mensuel", "me connecter avec mon compte d'entreprise", "archiver les anciens projets",
        "fusionner les clients en double", "imprimer les bons de livraison", "fixer un budget par équipe", "chercher une facture par montant",
        "valider les notes de frais", "suivre un colis sur une carte", "changer la devise d'un devis", "inviter un collègue dans mon espace",
        "voir qui a modifié une commande", "résilier un abonnement", "programmer un paiement", "joindre un justificatif à une dépense",
        "exporter le grand livre en CSV", "rembourser un article retourné", "traduire le catalogue", "clôturer une période comptable",
    ];

    public static readonly string[] FrenchReasons =
    [
        "afin de les envoyer à mon expert-comptable", "pour gagner du temps en fin de mois", "pour ne rien perdre",
        "pour que les clients sachent quand arrive leur commande", "pour répondre vite aux auditeurs", "pour que les chiffres collent à la banque",
        "pour ne pas appeler le support", "pour que mon équipe voie les mêmes chiffres",
    ];

    public static readonly string[] People =
    [
        "Alice", "Bruno", "Chloé", "David", "Emma", "Farid", "Gaëlle", "Hugo", "Inès", "Jonas", "Katia", "Léo", "Maya", "Nathan", "Olga",
        "Paul", "Quentin", "Rosa", "Sami", "Théo", "Ulla", "Victor", "Wendy", "Yasmine", "Zoé",
    ];

    /// <summary>"As a buyer I want to export invoices as PDF", or "En tant que comptable je veux importer les relevés bancaires".</summary>
    public static string Title(bool french, Random random)
    {
        if (french)
        {
            var role = Pick(FrenchRoles, random);
            var article = "aeiouéè".Contains(role[0], StringComparison.Ordinal) ? "qu'" : "que ";
            return $"En tant {article}{role} je veux {Pick(FrenchWants, random)}";
        }

        var englishRole = Pick(EnglishRoles, random);
        return $"As {("aeiou".Contains(englishRole[0], StringComparison.Ordinal) ? "an" : "a")} {englishRole} I want to {Pick(EnglishWants, random)}";
    }

    /// <summary>A sentence or two, or none.</summary>
    public static string? Description(bool french, Random random)
    {
        var roll = random.NextDouble();
        if (roll < 0.4)
        {
            return null;
        }

        var reason = Pick(french ? FrenchReasons : EnglishReasons, random);
        return roll < 0.8
            ? char.ToUpperInvariant(reason[0]) + reason[1..] + "."
            : char.ToUpperInvariant(reason[0]) + reason[1..] + (french ? ". Voir aussi : " : ". See also: ") + Pick(french ? FrenchWants : EnglishWants, random) + ".";
    }

    public static T Pick<T>(IReadOnlyList<T> items, Random random) => items[random.Next(items.Count)];
}
