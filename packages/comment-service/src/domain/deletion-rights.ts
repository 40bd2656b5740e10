/**
 * Who may delete a comment: the person who wrote it, or the owner of the image it is on
 * (moderating their own post). Nobody else.
 */
export function mayDeleteComment(who: { callerId: string; authorId: string; imageOwnerId: string }): boolean {
  return who.callerId === who.authorId || who.callerId === who.imageOwnerId;
}
