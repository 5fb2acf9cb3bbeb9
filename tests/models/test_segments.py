from models.segments import boilerplate_flags, segment


def _flags(text: str) -> dict[str, bool]:
    segs = segment(text, 100)
    flags = boilerplate_flags(text, segs, lambda seg: "avantages" in seg.folded)
    return {seg.text: flag for seg, flag in zip(segs, flags, strict=True)}


def test_short_items_under_a_boilerplate_heading_are_boilerplate():
    flags = _flags(
        "Avantages :\n\nMutuelle\nParticipation aux frais\nProfil :\n- Maîtrise de la soudure TIG"
    )
    assert flags["Mutuelle"] and flags["Participation aux frais"]  # a blank line may follow it
    assert not flags["Profil :"] and not flags["Maîtrise de la soudure TIG"]


def test_the_list_ends_at_a_blank_line_or_a_longer_sentence():
    flags = _flags(
        "Avantages :\nMutuelle\n\nConnaissance des produits frais.\n"
        "Nos avantages :\nTickets restaurant\n"
        "Sympathique et bienveillant, vous aimez travailler en équipe."
    )
    assert flags["Mutuelle"] and flags["Tickets restaurant"]
    assert not flags["Connaissance des produits frais."]  # after the blank line
    assert not flags["Sympathique et bienveillant, vous aimez travailler en équipe."]
