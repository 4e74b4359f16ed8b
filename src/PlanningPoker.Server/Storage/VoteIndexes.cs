using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;

namespace PlanningPoker.Server.Storage;

/// <summary>
/// EF Core's convention of an index on every foreign key, except the one from <c>votes</c> to <c>participants</c>.
/// </summary>
/// <remarks>
/// Nothing reads votes by participant (a room loads its votes by room; a story's are deleted by round), and participants
/// are never deleted (a former participant keeps its row), so that index only cost writes: every vote wrote a third
/// B-tree, about 40 % of the WAL pages of a group commit of votes (issue 15). The foreign key stays: a vote still needs
/// its participant's row.
/// </remarks>
internal sealed class VoteIndexes(ProviderConventionSetBuilderDependencies dependencies) : ForeignKeyIndexConvention(dependencies)
{
    protected override IConventionIndex? CreateIndex(
        IReadOnlyList<IConventionProperty> properties, bool unique, IConventionEntityTypeBuilder entityTypeBuilder)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(entityTypeBuilder);
        return IsVoteParticipant(entityTypeBuilder.Metadata.ClrType, properties)
            ? null
            : base.CreateIndex(properties, unique, entityTypeBuilder);
    }

    private static bool IsVoteParticipant(Type entity, IReadOnlyList<IConventionProperty> properties) =>
        entity == typeof(VoteRow) && properties is [{ Name: nameof(VoteRow.RoomId) }, { Name: nameof(VoteRow.ParticipantId) }];
}
